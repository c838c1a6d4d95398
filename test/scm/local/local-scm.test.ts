import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalScm } from "../../../src/scm/local/local-scm.js";
import {
  commitInfo,
  commitToBare,
  createBareRepo,
  makeTempDir,
  removeDir,
  showFile,
} from "../../support/git-repo.js";

let root: string;
let gitDir: string;
let initial: string;
let now: Date;

function scm(extra: Partial<ConstructorParameters<typeof LocalScm>[0]> = {}): LocalScm {
  return new LocalScm({ gitDir, clock: () => now, ...extra });
}

const spec = (branch: string, content: string) => ({
  branch,
  base: "main",
  title: `bump ${branch}`,
  body: "body",
  labels: ["waves:promotion"],
  commit: { message: `bump ${branch}`, changes: [{ path: "clusters/a/app.yaml", content }] },
});

beforeEach(async () => {
  root = await makeTempDir("waves-local-scm-");
  const repo = createBareRepo(root, "gitops", {
    "clusters/a/app.yaml": "rev: one\n",
    "README.md": "hello\n",
  });
  gitDir = repo.path;
  initial = repo.sha;
  now = new Date("2026-01-01T00:00:00Z");
});

afterEach(async () => {
  await removeDir(root);
});

describe("LocalScm", () => {
  it("opens a PR with one commit on the base and adopts it on a second call", async () => {
    const local = scm();
    const pr = await local.ensurePullRequest(spec("waves/abc1234/canary", "rev: two\n"));
    expect(pr.number).toBe(1);
    expect(pr.state).toBe("open");
    const info = commitInfo(gitDir, pr.headSha);
    expect(info.parents).toEqual([initial]);
    expect(showFile(gitDir, pr.headSha, "clusters/a/app.yaml")).toBe("rev: two\n");
    expect(showFile(gitDir, pr.headSha, "README.md")).toBe("hello\n");
    const again = await local.ensurePullRequest(spec("waves/abc1234/canary", "rev: three\n"));
    expect(again.number).toBe(1);
    expect(again.headSha).toBe(pr.headSha);
    expect(local.pullRequests()).toHaveLength(1);
  });

  it("merges for real with --no-ff, honours the expected head, and reports already-merged", async () => {
    const local = scm();
    const pr = await local.ensurePullRequest(spec("waves/abc1234/canary", "rev: two\n"));
    expect(await local.mergePullRequest(1, "f".repeat(40), "m")).toMatchObject({
      status: "head-moved",
    });
    now = new Date("2026-01-01T00:05:00Z");
    const merged = await local.mergePullRequest(1, pr.headSha, "Merge canary");
    expect(merged.status).toBe("merged");
    const sha = merged.status === "merged" ? merged.sha : "";
    expect(await local.branchHead("main")).toBe(sha);
    expect(commitInfo(gitDir, sha).parents).toEqual([initial, pr.headSha]);
    expect(showFile(gitDir, "main", "clusters/a/app.yaml")).toBe("rev: two\n");
    expect(await local.isAncestor(pr.headSha, "main")).toBe(true);
    expect(await local.isAncestor(sha, initial)).toBe(false);
    expect(await local.getPullRequest(1)).toMatchObject({
      state: "merged",
      mergeCommitSha: sha,
      mergedAt: "2026-01-01T00:05:00.000Z",
    });
    expect(await local.mergePullRequest(1, pr.headSha, "again")).toEqual({
      status: "already-merged",
      sha,
    });
  });

  it("merges on top of unrelated upstream edits and reports conflicts", async () => {
    const local = scm();
    const pr = await local.ensurePullRequest(spec("b1", "rev: two\n"));
    commitToBare(gitDir, "main", { "README.md": "edited\n" });
    const merged = await local.mergePullRequest(pr.number, pr.headSha, "m");
    expect(merged.status).toBe("merged");
    expect(showFile(gitDir, "main", "README.md")).toBe("edited\n");
    expect(showFile(gitDir, "main", "clusters/a/app.yaml")).toBe("rev: two\n");

    const other = await local.ensurePullRequest({
      ...spec("b2", "rev: x\n"),
      commit: { ...spec("b2", "rev: x\n").commit, baseSha: initial },
    });
    const conflict = await local.mergePullRequest(other.number, other.headSha, "m");
    expect(conflict).toEqual({
      status: "conflict",
      reason: "merge conflict in clusters/a/app.yaml",
    });
  });

  it("blocks merges on request, keeps labels, comments, reactions and check runs", async () => {
    const local = scm({ permissions: { alice: "write" }, teams: { "acme/leads": ["Bob"] } });
    const pr = await local.ensurePullRequest(spec("b1", "rev: two\n"));
    local.blockMerge(pr.number, "required review missing");
    expect(await local.mergePullRequest(pr.number, pr.headSha, "m")).toEqual({
      status: "blocked",
      reason: "required review missing",
    });
    await local.setLabels(pr.number, ["waves:held"], ["waves:promotion"]);
    expect((await local.getPullRequest(pr.number))?.labels).toEqual(["waves:held"]);
    await local.comment(pr.number, "hi");
    const id = local.addComment(pr.number, "alice", "/hold");
    await local.react(id, "+1");
    await local.react(id, "+1");
    expect(local.reactions(id)).toEqual([{ commentId: id, reaction: "+1" }]);
    expect(local.comments(pr.number).map((c) => c.body)).toEqual(["hi", "/hold"]);
    const run = await local.setCheckRun({
      name: "waves / canary",
      headSha: pr.headSha,
      status: "in_progress",
      externalId: "x",
      title: "t",
      summary: "s",
    });
    const updated = await local.setCheckRun({
      name: "waves / canary",
      headSha: pr.headSha,
      status: "completed",
      conclusion: "success",
      externalId: "x",
      title: "t2",
      summary: "s2",
    });
    expect(updated.id).toBe(run.id);
    expect(await local.findCheckRun("waves / canary", pr.headSha)).toMatchObject({
      status: "completed",
      conclusion: "success",
      summary: "s2",
    });
    // A completed run is never reopened (as on GitHub): going back to in_progress starts a new one.
    const reopened = await local.setCheckRun({
      name: "waves / canary",
      headSha: pr.headSha,
      status: "in_progress",
      externalId: "x",
      title: "again",
      summary: "s3",
    });
    expect(reopened.id).not.toBe(run.id);
    expect((await local.findCheckRun("waves / canary", pr.headSha))?.id).toBe(reopened.id);
    expect(local.checkRuns().map((r) => r.status)).toEqual(["completed", "in_progress"]);
    expect(await local.permission("alice")).toBe("write");
    expect(await local.permission("eve")).toBe("read");
    expect(await local.isTeamMember("acme/leads", "bob")).toBe(true);
    expect(await local.isTeamMember("acme/leads", "eve")).toBe(false);
  });

  it("shares its state through the state file with a second instance", async () => {
    const stateFile = join(root, "state.json");
    const first = scm({ stateFile });
    await first.ensurePullRequest(spec("b1", "rev: two\n"));
    const second = scm({ stateFile });
    expect((await second.findRolloutPrs(["waves:promotion"])).map((p) => p.number)).toEqual([1]);
    const pr = await second.ensurePullRequest(spec("b1", "rev: two\n"));
    expect(pr.number).toBe(1);
    expect(await first.readFile("main", "README.md")).toBe("hello\n");
    expect(await first.readFile("main", "missing")).toBeUndefined();
    const many = await first.readFiles("main", [
      "README.md",
      "missing",
      "clusters/a/app.yaml",
      "clusters",
    ]);
    expect([...many.entries()]).toEqual([
      ["README.md", "hello\n"],
      ["missing", undefined],
      ["clusters/a/app.yaml", "rev: one\n"],
      ["clusters", undefined],
    ]);
  });
});
