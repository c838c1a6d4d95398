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
