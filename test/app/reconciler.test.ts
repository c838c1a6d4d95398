import { afterEach, describe, expect, it } from "vitest";
import { RepoQueue } from "../../src/app/repo-queue.js";
import {
  assertStrictMocks,
  mockAccessToken,
  mockAppAuthenticated,
  mockInstallationRepos,
  mockInstallations,
  mockIssuesWithLabel,
} from "../support/github-mocks.js";
import { startTestApp } from "./app-harness.js";

describe("reconciler", () => {
  afterEach(() => assertStrictMocks());

  it("discovers repos with rollout PRs in every installation, reconciles each, drops inactive ones on the tick", async () => {
    let active = true;
    const app = await startTestApp({
      onCall: async () => {
        if (!active) throw Object.assign(new Error("unused"), { skip: true });
      },
    });
    mockInstallations([7]);
    mockAccessToken(7, "ghs_discoverytoken0123456789abcdef");
    mockInstallationRepos(["fleet", "docs", "infra"]);
    mockIssuesWithLabel("fleet", "waves:promotion", 1);
    mockIssuesWithLabel("docs", "waves:promotion", 0);
    mockIssuesWithLabel("docs", "waves:revert", 0);
    mockIssuesWithLabel("infra", "waves:promotion", 0);
    mockIssuesWithLabel("infra", "waves:revert", 2);
    mockAppAuthenticated("waves");
    const found = await app.reconciler.discover();
    expect(found.map((r) => `${r.owner}/${r.name}#${r.installationId}`)).toEqual([
      "acme/fleet#7",
      "acme/infra#7",
    ]);
    expect(app.calls.map((c) => [c.method, c.repo]).sort()).toEqual([
      ["reconcile", "acme/fleet"],
      ["reconcile", "acme/infra"],
    ]);
    expect(app.reconciler.activeCount).toBe(2);
    active = false;
    await app.reconciler.tick();
    // Failed reconciles keep the repos for the next tick.
    expect(app.reconciler.activeCount).toBe(2);
  });

  it("a reconcile that reports inactive untracks the repo", async () => {
    const app = await startTestApp({ active: false });
    app.reconciler.track({ owner: "acme", name: "fleet", installationId: 7 });
    // Start-up discovery has not run yet, so the tick tries it first.
    mockInstallations([]);
    mockAppAuthenticated("waves");
    await app.reconciler.tick();
    expect(app.calls.map((c) => c.method)).toEqual(["reconcile"]);
    expect(app.reconciler.activeCount).toBe(0);
  });

  it("serialises work per repository and runs different repositories in parallel", async () => {
    const queue = new RepoQueue();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.run("a", async () => {
      order.push("a1 start");
      await gate;
      order.push("a1 end");
    });
    const second = queue.run("a", async () => {
      order.push("a2");
    });
    const other = queue.run("b", async () => {
      order.push("b");
    });
    await other;
    expect(order).toEqual(["a1 start", "b"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["a1 start", "b", "a1 end", "a2"]);
    await queue
      .run("a", async () => {
        throw new Error("boom");
      })
      .catch(() => undefined);
    expect(await queue.run("a", async () => "still runs")).toBe("still runs");
  });
});
