/**
 * A crash between any two steps: the k-th write to GitHub fails (as if the process died right
 * there), then a fresh engine carries on. Whatever k, the rollout ends the same way, with one
 * PR and one check run per wave.
 */
import { afterEach, describe, expect, it } from "vitest";
import { handleComment, handlePush, type RolloutEnv, reconcile } from "../../src/rollout/index.js";
import type { ScmPort } from "../../src/scm/port.js";
import { appFile, CLUSTERS, createHarness, type Harness } from "./rollout-harness.js";

const WRITES = new Set([
  "ensurePullRequest",
  "mergePullRequest",
  "closePullRequest",
  "updatePullRequestBody",
  "setLabels",
  "comment",
  "react",
  "setCheckRun",
]);
const MIN = 60_000;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The port, failing its `k`-th write once. */
function crashingAt(scm: ScmPort, k: number): { port: ScmPort; crashed: () => boolean } {
  let writes = 0;
  let crashed = false;
  const port = new Proxy(scm, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return (...args: unknown[]) => {
        if (WRITES.has(key) && ++writes === k) {
          crashed = true;
          return Promise.reject(new Error(`crash before ${key}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { port, crashed: () => crashed };
}

async function attempt<T>(step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch {
    // The "process" died here; the next call is a fresh start.
    return undefined;
  }
}

describe("crash between any two steps", () => {
  it("every crash point recovers to the same done rollout without duplicates", async () => {
    const outcomes: string[] = [];
    for (let k = 1; k <= 24; k++) {
      h = await createHarness();
      const harness = h;
      const crash = crashingAt(harness.scm, k);
      const env: RolloutEnv = { ...harness.env, source: crash.port, target: crash.port };
      const push = harness.mergeChange({ "base/app.yaml": "replicas: 2\n" });
      await attempt(() => handlePush(env, push));
      // A redelivered push after a crash in the push handler.
      await attempt(() => handlePush(env, push));
      for (let i = 0; i < 12; i++) {
        harness.advance(31 * MIN);
        const report = await attempt(() => reconcile(env));
        if (report?.phase === "done") break;
        const wave2 = harness.scm
          .pullRequests()
          .find((p) => p.branch.endsWith("/wave-2") && p.state === "open");
        if (wave2?.labels.includes("waves:awaiting-approval")) {
          await attempt(() =>
            handleComment(env, {
              prNumber: wave2.number,
              commentId: 1,
              body: "/approve wave-2",
              author: "alice",
              authorIsBot: false,
              action: "created",
            }),
          );
        }
      }
      const prs = harness.scm.pullRequests();
      const summary = prs.map((p) => `${p.branch.split("/")[2]}:${p.state}`).join(",");
      outcomes.push(`${k}:${crash.crashed() ? "crashed" : "no-crash"}:${summary}`);
      expect(summary, `crash at write ${k}`).toBe("canary:merged,wave-1:merged,wave-2:merged");
      // One run per wave; wave-2 may add one for its approval (action_required) before the gate's.
      for (const wave of ["canary", "wave-1", "wave-2"]) {
        const runs = harness.scm.checkRuns().filter((r) => r.name === `waves / ${wave}`);
        const expected = wave === "wave-2" ? ["action_required", "success"] : ["success"];
        expect(
          runs.map((r) => r.conclusion),
          `crash at write ${k}`,
        ).toEqual(runs.length === 2 ? expected : ["success"]);
        expect(runs.length, `crash at write ${k}`).toBeLessThanOrEqual(expected.length);
      }
      for (const cluster of CLUSTERS)
        expect(harness.pinned(cluster)).toBe(appFile(cluster, push.revision));
      expect((await reconcile(harness.env)).phase).toBe("done");
      await harness.close();
      h = undefined;
    }
    expect(outcomes.filter((o) => o.includes(":crashed:")).length).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it("a failing canary with a crash at any write still ends with one merged revert and the old pins", async () => {
    for (let k = 1; k <= 9; k++) {
      h = await createHarness();
      const harness = h;
      harness.health.set("canary", "unhealthy");
      const crash = crashingAt(harness.scm, k);
      const env: RolloutEnv = { ...harness.env, source: crash.port, target: crash.port };
      const before = CLUSTERS.map((c) => harness.pinned(c));
      const push = harness.mergeChange({ "base/app.yaml": "replicas: 0\n" });
      await attempt(() => handlePush(env, push));
      // Before the first PR exists nothing in GitHub remembers the push: it is delivered again.
      await attempt(() => handlePush(env, push));
      for (let i = 0; i < 5; i++) {
        harness.advance(MIN);
        await attempt(() => reconcile(env));
      }
      const summary = harness.scm
        .pullRequests()
        .map((p) => `${p.branch.split("/")[2]}:${p.state}`)
        .join(",");
      expect(summary, `crash at write ${k}`).toBe("canary:merged,revert:merged");
      expect(
        CLUSTERS.map((c) => harness.pinned(c)),
        `crash at write ${k}`,
      ).toEqual(before);
      // Announced exactly once, also after a crash between the comment and its "notified" mark.
      const notes = harness.scm.comments().filter((c) => c.body.includes("halted at wave"));
      expect(notes.length, `crash at write ${k}`).toBe(1);
      await harness.close();
      h = undefined;
    }
  }, 60_000);

  it("a push whose first PR could not be opened says so on the commit; re-running that check starts it", async () => {
    h = await createHarness();
    const harness = h;
    const crash = crashingAt(harness.scm, 1);
    const env: RolloutEnv = { ...harness.env, source: crash.port, target: crash.port };
    const push = harness.mergeChange({ "base/app.yaml": "replicas: 2\n" });
    await expect(handlePush(env, push)).rejects.toThrow("crash before ensurePullRequest");
    expect(harness.scm.pullRequests()).toEqual([]);
    expect(await harness.scm.findCheckRun("waves / rollout", push.revision)).toMatchObject({
      conclusion: "failure",
      title: "The rollout could not start",
    });
    expect((await reconcile(env)).active).toBe(false);
    const { handleCheckRunEvent } = await import("../../src/rollout/index.js");
    const outcome = await handleCheckRunEvent(env, {
      name: "waves / rollout",
      headSha: push.revision,
      action: "rerequested",
      actor: "alice",
    });
    expect(outcome.status).toBe("accepted");
    expect(harness.scm.pullRequests().map((p) => `${p.branch.split("/")[2]}:${p.state}`)).toEqual([
      "canary:merged",
    ]);
    expect(await harness.scm.findCheckRun("waves / rollout", push.revision)).toMatchObject({
      status: "in_progress",
    });
  });
});
