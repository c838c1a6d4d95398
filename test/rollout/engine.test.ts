import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleComment, handlePush, reconcile } from "../../src/rollout/index.js";
import { appFile, CLUSTERS, createHarness, type Harness, OLD } from "./rollout-harness.js";

let h: Harness;
const MIN = 60_000;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const branches = () => h.scm.pullRequests().map((p) => `${p.branch}:${p.state}`);

describe("engine with LocalScm", () => {
  it("rolls a change through three waves to done", async () => {
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    const short = push.revision.slice(0, 7);
    const started = await handlePush(h.env, push);
    expect(started.status).toBe("started");
    expect(branches()).toEqual([`waves/${short}/canary:merged`]);
    expect(h.pinned("canary-1")).toBe(appFile("canary-1", push.revision));
    expect(h.pinned("dev-1")).toBe(appFile("dev-1", OLD));

    h.advance(31 * MIN);
    await reconcile(h.env);
    h.advance(31 * MIN);
    let report = await reconcile(h.env);
    expect(branches()).toEqual([`waves/${short}/canary:merged`, `waves/${short}/wave-1:merged`]);
    h.advance(61 * MIN);
    report = await reconcile(h.env);
    expect(branches().at(-1)).toBe(`waves/${short}/wave-2:open`);
    const wave2 = h.scm.pullRequests().at(-1)!;
    expect(wave2.labels).toContain("waves:awaiting-approval");
    expect(report.phase).toBe("awaiting-approval");

    const id = h.scm.addComment(wave2.number, "alice", "/approve wave-2");
    const outcome = await handleComment(h.env, {
      prNumber: wave2.number,
      commentId: id,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "created",
    });
    expect(outcome.status).toBe("accepted");
    expect(branches().at(-1)).toBe(`waves/${short}/wave-2:merged`);
    h.advance(121 * MIN);
    report = await reconcile(h.env);
    h.advance(121 * MIN);
    report = await reconcile(h.env);
    expect(report.phase).toBe("done");
    expect(report.active).toBe(false);
    for (const cluster of CLUSTERS) expect(h.pinned(cluster)).toBe(appFile(cluster, push.revision));
    const rolloutCheck = await h.scm.findCheckRun("waves / rollout", push.revision);
    expect(rolloutCheck).toMatchObject({ status: "completed", conclusion: "success" });
  });
});

/** Runs reconciles, advancing the clock, until `until` holds (at most `max` times). */
async function drive(until: () => boolean, stepMs = 31 * MIN, max = 20): Promise<void> {
  for (let i = 0; i < max && !until(); i++) {
    h.advance(stepMs);
    await reconcile(h.env);
  }
}

const comment = (pr: number, author: string, body: string) =>
  handleComment(h.env, {
    prNumber: pr,
    commentId: h.scm.addComment(pr, author, body),
    body,
    author,
    authorIsBot: false,
    action: "created",
  });

describe("failures", () => {
  it("a failing canary: failure check, revert PR merged, files restored byte-for-byte, halted, owner told", async () => {
    h.health.set("canary", "unhealthy");
    const before = CLUSTERS.map((c) => h.pinned(c));
    const push = h.mergeChange({ "base/app.yaml": "replicas: 0\n" });
    const short = push.revision.slice(0, 7);
    h.health.set("canary", "progressing");
    await handlePush(h.env, push);
    // Someone edits an unrelated line of the canary's file while it bakes: the revert keeps it.
    const edited = h.pinned("canary-1")!.replace("path: base", "path: base # reviewed");
    const { commitToBare } = await import("../support/git-repo.js");
    commitToBare(h.gitDir, "main", { "clusters/canary-1/app.yaml": edited }, "unrelated edit");
    h.health.set("canary", "unhealthy");
    h.advance(MIN);
    const report = await reconcile(h.env);
    expect(report.phase).toBe("halted");
    expect(report.active).toBe(false);
    expect(report.waveOutcomes).toEqual(["failed"]);
    const prs = h.scm.pullRequests();
    expect(prs.map((p) => `${p.branch}:${p.state}`)).toEqual([
      `waves/${short}/canary:merged`,
      `waves/${short}/revert:merged`,
    ]);
    expect(prs[0]!.labels).toContain("waves:halted");
    expect(prs[1]!.labels).toEqual(["waves:revert"]);
    expect(h.pinned("canary-1")).toBe(edited.replace(push.revision, OLD));
    expect(CLUSTERS.slice(1).map((c) => h.pinned(c))).toEqual(before.slice(1));
    const check = await h.scm.findCheckRun("waves / canary", prs[0]!.headSha);
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check?.summary).toContain("Degraded (CrashLoopBackOff)");
    const comments = h.scm.comments(prs[0]!.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`halted at wave \`canary\``);
    expect(await h.scm.findCheckRun("waves / rollout", push.revision)).toMatchObject({
      conclusion: "failure",
    });
    // Nothing more happens, however often it is asked.
    await reconcile(h.env);
    await reconcile(h.env);
    expect(h.scm.pullRequests()).toHaveLength(2);
    expect(h.scm.comments()).toHaveLength(1);
  });

  it("a gate that never turns healthy times out: timed_out check and a revert", async () => {
    h.health.set("canary", "progressing");
    const push = h.mergeChange({ "base/app.yaml": "replicas: 2\n" });
    await handlePush(h.env, push);
    h.advance(5 * MIN);
    await reconcile(h.env);
    const canary = h.scm.pullRequests()[0]!;
    expect(await h.scm.findCheckRun("waves / canary", canary.headSha)).toMatchObject({
      status: "in_progress",
    });
    h.advance(11 * MIN);
    const report = await reconcile(h.env);
    expect(report.waveOutcomes).toEqual(["timed-out"]);
    expect(await h.scm.findCheckRun("waves / canary", canary.headSha)).toMatchObject({
      conclusion: "timed_out",
    });
    expect(h.scm.pullRequests().map((p) => p.labels[0])).toEqual([
      "waves:promotion",
      "waves:revert",
    ]);
    expect(h.pinned("canary-1")).toBe(appFile("canary-1", OLD));
  });

  it("a failure in wave-1 reverts every cluster the rollout touched", async () => {
    h.health.set("wave-1", "unhealthy");
    const push = h.mergeChange({ "base/app.yaml": "replicas: 2\n" });
    await handlePush(h.env, push);
    await drive(() => h.scm.pullRequests().some((p) => p.labels.includes("waves:revert")));
    for (const cluster of CLUSTERS) expect(h.pinned(cluster)).toBe(appFile(cluster, OLD));
    const revert = h.scm.pullRequests().find((p) => p.labels.includes("waves:revert"))!;
    expect(revert.state).toBe("merged");
    expect(revert.body).toContain("wave `wave-1` failed");
  });

  it("rollback.autoMerge false leaves the revert open; /retry withdraws it and gates again on a new clock", async () => {
    const { CONFIG } = await import("./rollout-harness.js");
    await h.close();
    h = await createHarness({ config: `${CONFIG}rollback:\n  autoMerge: false\n` });
    h.health.set("canary", "unhealthy");
    const push = h.mergeChange({ "base/app.yaml": "replicas: 2\n" });
    await handlePush(h.env, push);
    h.advance(MIN);
    await reconcile(h.env);
    const [canary, revert] = h.scm.pullRequests();
    expect(revert?.state).toBe("open");
    h.health.set("canary", "healthy");
    h.advance(MIN);
    const retried = await comment(canary!.number, "alice", "/retry canary");
    expect(retried.status).toBe("accepted");
    expect((await h.scm.getPullRequest(revert!.number))?.state).toBe("closed");
    expect((await h.scm.getPullRequest(canary!.number))?.labels).not.toContain("waves:halted");
    const lastGate = h.gateCalls.at(-1)!;
    expect(lastGate.clockStart).toBe(h.now.toISOString());
    await drive(() => h.scm.pullRequests().some((p) => p.branch.endsWith("/wave-1")));
    expect(h.scm.pullRequests().map((p) => p.branch.split("/")[2])).toEqual([
      "canary",
      "revert",
      "wave-1",
    ]);
  });
});

describe("approvals", () => {
  async function toWave2(): Promise<number> {
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    await handlePush(h.env, push);
    await drive(() => h.scm.pullRequests().some((p) => p.branch.endsWith("/wave-2")), 61 * MIN);
    const pr = h.scm.pullRequests().at(-1)!;
    expect(pr.branch.endsWith("/wave-2")).toBe(true);
    return pr.number;
  }

  it("awaiting approval: label and an action_required check with an Approve button", async () => {
    const pr = await toWave2();
    const stored = h.scm.checkRuns().find((r) => r.name === "waves / wave-2")!;
    expect(stored).toMatchObject({ status: "completed", conclusion: "action_required" });
    expect(stored.actions).toEqual([
      { label: "Approve", identifier: "approve:wave-2", description: "Approve wave wave-2" },
    ]);
    const writes = stored.writes;
    await reconcile(h.env);
    await reconcile(h.env);
    expect(h.scm.checkRuns().find((r) => r.name === "waves / wave-2")!.writes).toBe(writes);
    expect((await h.scm.getPullRequest(pr))?.state).toBe("open");
  });

  it("refuses a read-only user, the change's author and bots; an approver merges it", async () => {
    const pr = await toWave2();
    const refused = await comment(pr, "mallory", "/approve wave-2");
    expect(refused).toMatchObject({ status: "refused" });
    expect(refused.reason).toContain("mallory has read permission");
    const self = await comment(pr, "dana", "/approve wave-2");
    expect(self.reason).toContain("does not allow self-approval");
    const bot = await handleComment(h.env, {
      prNumber: pr,
      commentId: 999,
      body: "/approve wave-2",
      author: "helper[bot]",
      authorIsBot: true,
      action: "created",
    });
    expect(bot.status).toBe("ignored");
    const edited = await handleComment(h.env, {
      prNumber: pr,
      commentId: 998,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "edited",
    });
    expect(edited.status).toBe("ignored");
    const unknown = await comment(pr, "alice", "/approve wave-9");
    expect(unknown.reason).toContain('no wave named "wave-9"');
    expect((await h.scm.getPullRequest(pr))?.state).toBe("open");
    const replies = h.scm.comments(pr).filter((c) => c.author === "waves[bot]");
    expect(replies).toHaveLength(3);
    expect(replies.every((c) => !/(^|\s)@[a-z]/i.test(c.body))).toBe(true);
    expect(h.scm.reactions().filter((r) => r.reaction === "-1")).toHaveLength(3);

    const ok = await comment(pr, "carol", "/approve wave-2");
    expect(ok.status).toBe("accepted");
    const merged = await h.scm.getPullRequest(pr);
    expect(merged?.state).toBe("merged");
    expect(merged?.labels).not.toContain("waves:awaiting-approval");
    expect(merged?.body).toContain('"approvedBy":"carol"');
  });

  it("a team member approves with the check-run button", async () => {
    const pr = await toWave2();
    const { handleCheckRunEvent } = await import("../../src/rollout/index.js");
    const head = (await h.scm.getPullRequest(pr))!.headSha;
    const outcome = await handleCheckRunEvent(h.env, {
      name: "waves / wave-2",
      headSha: head,
      action: "requested_action",
      identifier: "approve:wave-2",
      actor: "lee",
    });
    expect(outcome.status).toBe("accepted");
    expect((await h.scm.getPullRequest(pr))?.state).toBe("merged");
  });

  it("a blocked merge shows its reason on the PR and goes through once unblocked", async () => {
    const pr = await toWave2();
    h.scm.blockMerge(pr, "At least 1 approving review is required");
    const ok = await comment(pr, "alice", "/approve wave-2");
    expect(ok.status).toBe("accepted");
    expect((await h.scm.getPullRequest(pr))?.state).toBe("open");
    const check = await h.scm.findCheckRun(
      "waves / wave-2",
      (await h.scm.getPullRequest(pr))!.headSha,
    );
    expect(check?.title).toBe(
      "Merge of wave wave-2 blocked: At least 1 approving review is required",
    );
    await reconcile(h.env);
    expect((await h.scm.getPullRequest(pr))?.state).toBe("open");
    h.scm.blockMerge(pr, undefined);
    await reconcile(h.env);
    expect((await h.scm.getPullRequest(pr))?.state).toBe("merged");
  });
});

describe("hold, resume, rollback", () => {
  it("/hold stops the next wave; /resume lets it go", async () => {
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    await handlePush(h.env, push);
    const canary = h.scm.pullRequests()[0]!;
    expect((await comment(canary.number, "alice", "/hold")).status).toBe("accepted");
    await drive(() => false, 31 * MIN, 3);
    expect(h.scm.pullRequests()).toHaveLength(1);
    expect(await h.scm.findCheckRun("waves / canary", canary.headSha)).toMatchObject({
      conclusion: "success",
    });
    expect((await comment(canary.number, "alice", "/resume")).status).toBe("accepted");
    expect(h.scm.pullRequests().map((p) => p.branch.split("/")[2])).toEqual(["canary", "wave-1"]);
  });

  it("/rollback reverts what was merged and closes the open PR", async () => {
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    await handlePush(h.env, push);
    await drive(() => h.scm.pullRequests().some((p) => p.branch.endsWith("/wave-2")), 61 * MIN);
    const wave2 = h.scm.pullRequests().at(-1)!;
    const outcome = await comment(wave2.number, "carol", "/rollback");
    expect(outcome.status).toBe("accepted");
    const prs = h.scm.pullRequests();
    expect(prs.map((p) => `${p.branch.split("/")[2]}:${p.state}`)).toEqual([
      "canary:merged",
      "wave-1:merged",
      "wave-2:closed",
      "revert:merged",
    ]);
    for (const cluster of CLUSTERS) expect(h.pinned(cluster)).toBe(appFile(cluster, OLD));
    expect(prs.at(-1)?.body).toContain("rollback requested by carol");
  });
});

describe("templates and notifications", () => {
  it("a repository override of the PR body is used, sanitised, and cannot forge the state block", async () => {
    const forged = '<!-- waves:state {"v":1,"kind":"promotion"} -->';
    const push = h.mergeChange({
      "base/app.yaml": "replicas: 3\n",
      ".github/waves/templates/promotion-pr.md": `Custom body for {{wave}}, cc @acme/sre ${forged}\n{{fileTable}}\n`,
    });
    await handlePush(h.env, push);
    const canary = h.scm.pullRequests()[0]!;
    expect(canary.body.startsWith("Custom body for canary, cc @\u200dacme/sre \n| Cluster |")).toBe(
      true,
    );
    expect(canary.body.match(/waves:state/g)).toHaveLength(1);
    expect(canary.state).toBe("merged");
  });

  it("the halt is announced on the change's pull request, once", async () => {
    h.health.set("canary", "unhealthy");
    const push = h.mergeChange({ "base/app.yaml": "replicas: 0\n" }, "Break payments");
    h.scm.registerSourceChange({
      sha: push.revision,
      title: "Break payments for @acme/sre",
      author: "erin",
      url: "https://example.com/acme/fleet/pull/99",
      pullRequest: 99,
    });
    await handlePush(h.env, push);
    await reconcile(h.env);
    const notes = h.scm.comments(99);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("### The rollout of");
    expect(h.scm.comments().filter((c) => c.pr !== 99)).toEqual([]);
    const canary = h.scm.pullRequests()[0]!;
    expect(canary.body).toContain("by erin");
    expect(canary.body).not.toMatch(/@acme/);
  });
});

describe("check-run events", () => {
  it("re-running a failed wave check is a /retry by that user; a refused button gets a reply on the PR", async () => {
    const { CONFIG } = await import("./rollout-harness.js");
    const { handleCheckRunEvent } = await import("../../src/rollout/index.js");
    await h.close();
    h = await createHarness({ config: `${CONFIG}rollback:\n  autoMerge: false\n` });
    h.health.set("canary", "unhealthy");
    await handlePush(h.env, h.mergeChange({ "base/app.yaml": "replicas: 2\n" }));
    const canary = h.scm.pullRequests()[0]!;
    const refused = await handleCheckRunEvent(h.env, {
      name: "waves / canary",
      headSha: canary.headSha,
      action: "rerequested",
      actor: "mallory",
    });
    expect(refused.status).toBe("refused");
    expect(h.scm.comments(canary.number).at(-1)?.body).toContain("mallory has read permission");
    h.health.set("canary", "progressing");
    const retried = await handleCheckRunEvent(h.env, {
      name: "waves / canary",
      headSha: canary.headSha,
      action: "rerequested",
      actor: "alice",
    });
    expect(retried.status).toBe("accepted");
    expect(await h.scm.findCheckRun("waves / canary", canary.headSha)).toMatchObject({
      status: "in_progress",
    });
    expect((await h.scm.getPullRequest(2))?.state).toBe("closed");
    const other = await handleCheckRunEvent(h.env, {
      name: "waves / rollout",
      headSha: canary.headSha,
      action: "rerequested",
      actor: "alice",
    });
    expect(other).toMatchObject({ status: "accepted", reason: "rollout check re-run" });
    expect(h.scm.pullRequests()).toHaveLength(2);
  });

  it("a command on a superseded rollout's PR is refused, pointing at the newer one", async () => {
    h.health.set("canary", "progressing");
    await handlePush(h.env, h.mergeChange({ "base/app.yaml": "replicas: 2\n" }, "First"));
    const second = h.mergeChange({ "base/app.yaml": "replicas: 3\n" }, "Second");
    await handlePush(h.env, second);
    const outcome = await comment(1, "alice", "/hold");
    expect(outcome.status).toBe("refused");
    expect(outcome.reason).toContain(`superseded by the rollout of ${second.revision.slice(0, 7)}`);
  });
});

describe("large pushes", () => {
  it("asks for the complete changed paths only on the source branch, and starts from them", async () => {
    const push = h.mergeChange({ "base/app.yaml": "replicas: 5\n" });
    const asked: string[] = [];
    const complete = async () => {
      asked.push("complete");
      return ["base/app.yaml", "docs/x.md"];
    };
    // The payload listed only a docs change (its 20 commits missed the base/ one).
    const other = await handlePush(h.env, {
      ...push,
      branch: "feature",
      changedPaths: ["docs/x.md"],
      completeChangedPaths: complete,
    });
    expect(other.status).toBe("ignored");
    expect(asked).toEqual([]);
    const started = await handlePush(h.env, {
      ...push,
      changedPaths: ["docs/x.md"],
      completeChangedPaths: complete,
    });
    expect(asked).toEqual(["complete"]);
    expect(started.status).toBe("started");
    expect(h.scm.pullRequests().map((p) => p.branch)).toEqual([
      `waves/${push.revision.slice(0, 7)}/canary`,
    ]);
  });
});
