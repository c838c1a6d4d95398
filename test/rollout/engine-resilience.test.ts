import { afterEach, describe, expect, it } from "vitest";
import { handleComment, handlePush, type RolloutEnv, reconcile } from "../../src/rollout/index.js";
import { appFile, CLUSTERS, CONFIG, createHarness, type Harness } from "./rollout-harness.js";

let h: Harness;
const MIN = 60_000;

afterEach(async () => {
  await h.close();
});

const summary = () =>
  h.scm.pullRequests().map((p) => `${p.branch.replace(/^waves\/[0-9a-f]+\//, "")}:${p.state}`);

describe("supersede and queue", () => {
  it("a newer change supersedes the rollout in flight: open PRs closed with a link, newer starts at the canary", async () => {
    h = await createHarness();
    const first = h.mergeChange({ "base/app.yaml": "replicas: 5\n" }, "First");
    await handlePush(h.env, first);
    h.advance(31 * MIN);
    await reconcile(h.env);
    h.advance(31 * MIN);
    await reconcile(h.env);
    h.health.set("wave-1", "progressing");
    expect(summary()).toEqual(["canary:merged", "wave-1:merged"]);
    // wave-2 of the first rollout would wait for approval; supersede before that.
    const second = h.mergeChange({ "base/app.yaml": "replicas: 6\n" }, "Second");
    const outcome = await handlePush(h.env, second);
    expect(outcome.status).toBe("started");
    const prs = h.scm.pullRequests();
    expect(prs.map((p) => `${p.branch}:${p.state}`)).toEqual([
      `waves/${first.revision.slice(0, 7)}/canary:merged`,
      `waves/${first.revision.slice(0, 7)}/wave-1:merged`,
      `waves/${second.revision.slice(0, 7)}/canary:merged`,
    ]);
    expect(prs[1]!.labels).toContain("waves:superseded");
    expect(await h.scm.findCheckRun("waves / rollout", first.revision)).toMatchObject({
      conclusion: "neutral",
      title: `Superseded by ${second.revision.slice(0, 7)}`,
    });
    h.health.set("wave-1", "healthy");
    for (let i = 0; i < 8; i++) {
      h.advance(61 * MIN);
      await reconcile(h.env);
    }
    const wave2 = h.scm.pullRequests().at(-1)!;
    expect(wave2.branch).toBe(`waves/${second.revision.slice(0, 7)}/wave-2`);
    expect(
      h.scm
        .pullRequests()
        .filter(
          (p) => p.branch.startsWith(`waves/${first.revision.slice(0, 7)}`) && p.state === "open",
        ),
    ).toEqual([]);
    for (const cluster of ["canary-1", "dev-1", "dev-2"]) {
      expect(h.pinned(cluster)).toBe(appFile(cluster, second.revision));
    }
  });

  it("supersede closes the older rollout's open PR with a comment linking the newer one", async () => {
    h = await createHarness();
    const first = h.mergeChange({ "base/app.yaml": "replicas: 5\n" }, "First");
    await handlePush(h.env, first);
    for (let i = 0; i < 6; i++) {
      h.advance(61 * MIN);
      await reconcile(h.env);
    }
    const waiting = h.scm.pullRequests().at(-1)!;
    expect(waiting.branch.endsWith("/wave-2")).toBe(true);
    const second = h.mergeChange({ "base/app.yaml": "replicas: 6\n" }, "Second");
    await handlePush(h.env, second);
    expect((await h.scm.getPullRequest(waiting.number))?.state).toBe("closed");
    const newCanary = h.scm.pullRequests().at(-1)!;
    const [note] = h.scm.comments(waiting.number);
    expect(note?.body).toContain(`[#${newCanary.number}](${newCanary.url})`);
  });

  it("onNewChange: queue — the newer change waits, then starts when the first is done", async () => {
    h = await createHarness({ config: `${CONFIG}onNewChange: queue\n` });
    const first = h.mergeChange({ "base/app.yaml": "replicas: 5\n" }, "First");
    await handlePush(h.env, first);
    const second = h.mergeChange({ "base/app.yaml": "replicas: 6\n" }, "Second");
    const queued = await handlePush(h.env, second);
    expect(queued.status).toBe("queued");
    expect(await h.scm.findCheckRun("waves / rollout", second.revision)).toMatchObject({
      status: "queued",
    });
    expect(summary()).toEqual(["canary:merged"]);
    for (let i = 0; i < 6; i++) {
      h.advance(61 * MIN);
      await reconcile(h.env);
    }
    const wave2 = h.scm.pullRequests().at(-1)!;
    await handleComment(h.env, {
      prNumber: wave2.number,
      commentId: 1,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "created",
    });
    let report = await reconcile(h.env);
    for (let i = 0; i < 4 && report.revision !== second.revision; i++) {
      h.advance(121 * MIN);
      report = await reconcile(h.env);
    }
    expect(report.revision).toBe(second.revision);
    expect(report.active).toBe(true);
    expect(summary()).toEqual(["canary:merged", "wave-1:merged", "wave-2:merged", "canary:merged"]);
    expect(await h.scm.findCheckRun("waves / rollout", first.revision)).toMatchObject({
      conclusion: "success",
    });
  });
});

describe("idempotency", () => {
  it("a restart between any two steps (new adapter and engine state from the store) opens no second PR", async () => {
    h = await createHarness({ stateFile: true });
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    const fresh = (): RolloutEnv => {
      const scm = h.newScm();
      return { ...h.env, source: scm, target: scm };
    };
    await handlePush(fresh(), push);
    await handlePush(fresh(), push);
    for (let i = 0; i < 12; i++) {
      h.advance(31 * MIN);
      await reconcile(fresh());
      await reconcile(fresh());
    }
    const wave2 = h.scm.pullRequests().at(-1)!;
    await handleComment(fresh(), {
      prNumber: wave2.number,
      commentId: 7,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "created",
    });
    await handleComment(fresh(), {
      prNumber: wave2.number,
      commentId: 7,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "created",
    });
    for (let i = 0; i < 6; i++) {
      h.advance(61 * MIN);
      await reconcile(fresh());
    }
    expect(summary()).toEqual(["canary:merged", "wave-1:merged", "wave-2:merged"]);
    // wave-2 has two runs: the approval (action_required) and, after the merge, the gate.
    for (const [wave, runs] of [
      ["canary", 1],
      ["wave-1", 1],
      ["wave-2", 2],
    ] as const) {
      expect(h.scm.checkRuns().filter((r) => r.name === `waves / ${wave}`)).toHaveLength(runs);
    }
    const wave2Runs = h.scm.checkRuns().filter((r) => r.name === "waves / wave-2");
    expect(wave2Runs.map((r) => r.conclusion)).toEqual(["action_required", "success"]);
    for (const cluster of CLUSTERS) expect(h.pinned(cluster)).toBe(appFile(cluster, push.revision));
    expect((await reconcile(fresh())).active).toBe(false);
  });

  it("every event handled twice gives the same outcome", async () => {
    h = await createHarness();
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    const once = await handlePush(h.env, push);
    const twice = await handlePush(h.env, push);
    expect(once.status).toBe("started");
    expect(twice.status).toBe("exists");
    expect(summary()).toEqual(["canary:merged"]);
    const canary = h.scm.pullRequests()[0]!;
    const hold = {
      prNumber: canary.number,
      commentId: 3,
      body: "/hold",
      author: "alice",
      authorIsBot: false,
      action: "created" as const,
    };
    expect((await handleComment(h.env, hold)).status).toBe("accepted");
    expect((await handleComment(h.env, hold)).status).toBe("accepted");
    expect(
      (await h.scm.getPullRequest(canary.number))?.labels.filter((l) => l === "waves:held"),
    ).toHaveLength(1);
    const checkWrites = () => h.scm.checkRuns().reduce((n, r) => n + r.writes, 0);
    h.advance(5 * MIN);
    await reconcile(h.env);
    const writes = checkWrites();
    await reconcile(h.env);
    await reconcile(h.env);
    expect(checkWrites()).toBe(writes);
  });

  it("an older push delivered after a newer rollout started is left alone, in both modes", async () => {
    for (const mode of ["supersede", "queue"]) {
      h = await createHarness({ config: `${CONFIG}onNewChange: ${mode}\n` });
      const first = h.mergeChange({ "base/app.yaml": "replicas: 5\n" }, "First");
      const second = h.mergeChange({ "base/app.yaml": "replicas: 6\n" }, "Second");
      expect((await handlePush(h.env, second)).status).toBe("started");
      const late = await handlePush(h.env, first);
      expect(late.status, mode).toBe("ignored");
      expect(late.reason).toBe(
        `already carried by the newer rollout of ${second.revision.slice(0, 7)}`,
      );
      expect(summary()).toEqual(["canary:merged"]);
      expect(h.scm.pullRequests()[0]!.labels).not.toContain("waves:superseded");
      expect(await h.scm.findCheckRun("waves / rollout", first.revision)).toBeUndefined();
      // The newer rollout goes on as if nothing had happened.
      h.advance(31 * MIN);
      await reconcile(h.env);
      expect(summary(), mode).toEqual(["canary:merged", "wave-1:merged"]);
      await h.close();
    }
    h = await createHarness();
  });

  it("pushes made by the app, promotion-only pushes, other branches and missing config never start a rollout", async () => {
    h = await createHarness();
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    expect((await handlePush(h.env, { ...push, pusher: "waves[bot]" })).status).toBe("ignored");
    expect(
      (
        await handlePush(h.env, {
          ...push,
          headCommitMessage: "Merge wave canary of abc1234 [waves]",
        })
      ).reason,
    ).toContain("made by the app");
    expect(
      (await handlePush(h.env, { ...push, changedPaths: ["clusters/dev-1/app.yaml"] })).reason,
    ).toContain("only promotion files changed");
    expect((await handlePush(h.env, { ...push, branch: "feature" })).reason).toContain(
      "not the source branch",
    );
    expect((await handlePush(h.env, { ...push, changedPaths: ["docs/x.md"] })).reason).toContain(
      "source.paths",
    );
    expect(h.scm.pullRequests()).toEqual([]);
  });

  it("an invalid configuration: no rollout, a failing waves / config check annotated at the line", async () => {
    h = await createHarness();
    const push = h.mergeChange({
      "base/app.yaml": "replicas: 3\n",
      ".github/waves.yml": CONFIG.replace("waitTime: 1h", "waitTime: soon"),
    });
    const outcome = await handlePush(h.env, push);
    expect(outcome.status).toBe("invalid-config");
    expect(h.scm.pullRequests()).toEqual([]);
    const check = h.scm.checkRuns().find((r) => r.name === "waves / config")!;
    expect(check).toMatchObject({
      status: "completed",
      conclusion: "failure",
      headSha: push.revision,
    });
    const line = CONFIG.split("\n").findIndex((l) => l.includes("waitTime: 1h")) + 1;
    expect(check.annotations?.[0]).toMatchObject({
      path: ".github/waves.yml",
      startLine: line,
      level: "failure",
    });
    expect(check.annotations?.[0]?.message).toContain("is not a duration");
  });

  it("a tampered state block is ignored with a log, never a crash", async () => {
    h = await createHarness();
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    h.health.set("canary", "progressing");
    await handlePush(h.env, push);
    const canary = h.scm.pullRequests()[0]!;
    await h.scm.updatePullRequestBody(
      canary.number,
      canary.body.replace(/"waveIndex":0/, '"waveIndex":"zero"'),
    );
    const report = await reconcile(h.env);
    expect(report.active).toBe(false);
    expect(
      h.logger.lines.some((l) => l.message === "hidden state does not validate; ignored"),
    ).toBe(true);
  });
});

describe("bad files in the GitOps repository", () => {
  it("a later wave whose file cannot be bumped blocks with the cluster and path in the overall check, then recovers", async () => {
    h = await createHarness();
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    await handlePush(h.env, push);
    const { commitToBare } = await import("../support/git-repo.js");
    const good = h.pinned("dev-2")!;
    commitToBare(h.gitDir, "main", { "clusters/dev-2/app.yaml": "spec: [unclosed\n" }, "oops");
    h.advance(31 * MIN);
    const report = await reconcile(h.env);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toContain("dev-2");
    expect(report.errors[0]).toContain("clusters/dev-2/app.yaml");
    const check = await h.scm.findCheckRun("waves / rollout", push.revision);
    expect(check?.title).toMatch(/^Blocked: cannot bump wave wave-1: .*clusters\/dev-2\/app\.yaml/);
    expect(summary()).toEqual(["canary:merged"]);
    commitToBare(h.gitDir, "main", { "clusters/dev-2/app.yaml": good }, "fix");
    await reconcile(h.env);
    expect(summary()).toEqual(["canary:merged", "wave-1:merged"]);
  });

  it("a first wave that cannot be bumped fails the push visibly on the change's commit", async () => {
    h = await createHarness();
    const { commitToBare } = await import("../support/git-repo.js");
    commitToBare(
      h.gitDir,
      "main",
      { "clusters/canary-1/app.yaml": "kind: Application\n" },
      "no pin",
    );
    const push = h.mergeChange({ "base/app.yaml": "replicas: 3\n" });
    await expect(handlePush(h.env, push)).rejects.toThrow(/canary-1/);
    const check = await h.scm.findCheckRun("waves / rollout", push.revision);
    expect(check).toMatchObject({ conclusion: "failure", title: "The rollout could not start" });
    expect(check?.summary).toContain("clusters/canary-1/app.yaml");
  });
});
