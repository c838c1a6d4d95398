/**
 * How many SCM port calls the engine makes (each is one or more GitHub requests with the real
 * adapter): an idle reconcile while a wave bakes, and a whole three-wave rollout.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleComment, handlePush, type RolloutEnv, reconcile } from "../../src/rollout/index.js";
import type { ScmPort } from "../../src/scm/port.js";
import { createHarness, type Harness } from "./rollout-harness.js";

let h: Harness;
const MIN = 60_000;

function counted(scm: ScmPort): {
  port: ScmPort;
  calls: Map<string, number>;
  total(): number;
  reset(): void;
} {
  const calls = new Map<string, number>();
  const port = new Proxy(scm, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    port,
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => calls.clear(),
  };
}

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("SCM calls", () => {
  it("an idle reconcile while a wave bakes reads 4 things and writes nothing", async () => {
    const c = counted(h.scm);
    const env: RolloutEnv = { ...h.env, source: c.port, target: c.port };
    await handlePush(env, h.mergeChange({ "base/app.yaml": "replicas: 2\n" }));
    h.advance(MIN);
    await reconcile(env);
    c.reset();
    h.advance(MIN);
    await reconcile(env);
    expect(Object.fromEntries(c.calls)).toEqual({
      findRolloutPrs: 1,
      readFile: 1,
      findCheckRun: 2,
    });
  });

  it("a whole three-wave rollout stays within a small, fixed number of calls", async () => {
    const c = counted(h.scm);
    const env: RolloutEnv = { ...h.env, source: c.port, target: c.port };
    await handlePush(env, h.mergeChange({ "base/app.yaml": "replicas: 2\n" }));
    for (let i = 0; i < 6; i++) {
      h.advance(31 * MIN);
      await reconcile(env);
    }
    const wave2 = h.scm.pullRequests().at(-1)!;
    await handleComment(env, {
      prNumber: wave2.number,
      commentId: 1,
      body: "/approve wave-2",
      author: "alice",
      authorIsBot: false,
      action: "created",
    });
    for (let i = 0; i < 3; i++) {
      h.advance(121 * MIN);
      await reconcile(env);
    }
    expect((await reconcile(env)).phase).toBe("done");
    const writes = [
      "ensurePullRequest",
      "mergePullRequest",
      "setCheckRun",
      "setLabels",
      "updatePullRequestBody",
      "comment",
      "react",
    ]
      .map((k) => c.calls.get(k) ?? 0)
      .reduce((a, b) => a + b, 0);
    // 3 PRs, 3 merges, wave checks (gating, passed, approval) and the overall check as it moves.
    expect(c.calls.get("ensurePullRequest")).toBe(3);
    expect(c.calls.get("mergePullRequest")).toBe(3);
    expect(writes).toBeLessThanOrEqual(30);
    expect(c.total()).toBeLessThanOrEqual(150);
    process.stdout.write(
      `calls for a three-wave rollout: ${c.total()} (writes ${writes}): ${JSON.stringify(Object.fromEntries(c.calls))}\n`,
    );
  });
});

describe("gate evaluations", () => {
  it("one evaluation per wave per run, also right after the merge", async () => {
    h.health.set("canary", "progressing");
    await handlePush(h.env, h.mergeChange({ "base/app.yaml": "replicas: 2\n" }));
    expect(h.gateCalls.map((c) => c.wave)).toEqual(["canary"]);
    h.advance(MIN);
    await reconcile(h.env);
    expect(h.gateCalls.map((c) => c.wave)).toEqual(["canary", "canary"]);
  });
});
