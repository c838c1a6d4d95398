import { describe, expect, it } from "vitest";
import { fakeApplication } from "../../../src/fleet/argocd-simulator.js";
import {
  appRevisionState,
  createRevisionMatcher,
  isRepo,
  sameRevision,
} from "../../../src/health/argocd/revision-match.js";

const PIN = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const MERGE = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b";

describe("revision matching", () => {
  it("treats abbreviations of at least 7 hex digits as the same commit", () => {
    expect(sameRevision(PIN, PIN.slice(0, 7))).toBe(true);
    expect(sameRevision(PIN.toUpperCase(), PIN)).toBe(true);
    expect(sameRevision(PIN, PIN.slice(0, 6))).toBe(false);
    expect(sameRevision("v1.2.3", "v1.2")).toBe(false);
  });

  it("recognises a repository in https, ssh and scp-like URLs", () => {
    for (const url of [
      "https://github.com/Acme/GitOps.git",
      "https://github.com/acme/gitops/",
      "git@github.com:acme/gitops.git",
      "ssh://git@github.com/acme/gitops",
    ]) {
      expect([url, isRepo(url, ["acme/gitops"])]).toEqual([url, true]);
    }
    expect(isRepo("https://github.com/acme/gitops-extra.git", ["acme/gitops"])).toBe(false);
    expect(isRepo(undefined, ["acme/gitops"])).toBe(false);
  });

  it("counts an unknown commit (git cannot answer) as not updated", async () => {
    const matches = createRevisionMatcher({
      revision: PIN,
      mergeCommitSha: MERGE,
      isAncestor: async () => {
        throw new Error("fatal: bad object");
      },
    });
    expect(await matches("ffffffffffffffffffffffffffffffffffffffff")).toBe(false);
    expect(await matches(MERGE)).toBe(true);
    expect(await matches("")).toBe(false);
  });

  it("reports a multi-source app's lagging GitOps source", async () => {
    const app = fakeApplication({
      name: "api",
      sources: [
        { repoURL: "https://charts.example.com", chart: "api", targetRevision: "1.2.3" },
        { repoURL: "https://github.com/acme/gitops.git", path: "a", targetRevision: "main" },
        { repoURL: "git@github.com:acme/gitops.git", path: "b", targetRevision: "main" },
      ],
    });
    app.status = { sync: { status: "Synced", revisions: ["1.2.3", MERGE, "0000000aaaa"] } };
    const matches = createRevisionMatcher({
      revision: PIN,
      mergeCommitSha: MERGE,
      isAncestor: async () => false,
    });
    expect(await appRevisionState(app, matches, ["acme/gitops"])).toEqual({
      updated: false,
      current: "0000000aaaa",
    });
    app.status.sync!.revisions = ["1.2.3", MERGE, PIN];
    expect(await appRevisionState(app, matches, ["acme/gitops"])).toEqual({
      updated: true,
      current: MERGE,
    });
  });
});
