/**
 * The wired gate (Argo CD + Prometheus probes) over several evaluations with an injected clock,
 * against the fake Argo CD: the bake, a restart of the bake, and the progress deadline.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WavesConfig } from "../../src/config/waves.schema.js";
import { type FakeArgoCd, startFakeArgoCd } from "../../src/fleet/argocd-server.js";
import { fakeApplication } from "../../src/fleet/argocd-simulator.js";
import { createHealthGate } from "../../src/health/health-gate.js";
import type { GateClock, GateOutcome } from "../../src/health/types.js";
import type { WavePlan } from "../../src/plan/types.js";

const REV = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const OLD = "0000000e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const MERGED = Date.parse("2026-02-01T10:00:00Z");
const at = (minutes: number) => new Date(MERGED + minutes * 60_000);

let argo: FakeArgoCd;
beforeAll(async () => {
  argo = await startFakeArgoCd({ token: "gate-test-token-123" });
});
afterAll(async () => {
  await argo?.close();
});
beforeEach(() => argo.reset());

function config(withMetric: boolean): WavesConfig {
  return WavesConfig.parse({
    argocd: { url: argo.url, tokenEnv: "ARGOCD_TOKEN" },
    ...(withMetric
      ? {
          healthChecks: {
            "error-rate": { type: "prometheus", query: "x", condition: "< 1" },
          },
        }
      : {}),
    waves: [{ name: "canary", clusters: ["c1"] }],
  });
}

function wave(checks: WavePlan["checks"]): WavePlan {
  return {
    name: "canary",
    index: 0,
    clusters: ["c1"],
    files: [],
    checks,
    waitTimeMs: 10 * 60_000,
    progressDeadlineMs: 15 * 60_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
  };
}

const SYNC = { name: "argocd-sync", spec: { type: "argocd-sync" as const, failureLimit: 1 } };

function deploy(revision: string, health: "Healthy" | "Progressing", minutes: number) {
  argo.upsertApp(fakeApplication({ name: "api", labels: { cluster: "c1" } }));
  argo.syncApp("api", { revision, health, at: at(minutes) });
}

describe("createHealthGate", () => {
  it("bakes, restarts the bake on a wobble, then passes", async () => {
    const gate = createHealthGate({
      config: config(false),
      env: { ARGOCD_TOKEN: "gate-test-token-123" },
    });
    let clock: GateClock | undefined;
    const step = async (minutes: number): Promise<GateOutcome> => {
      const outcome = await gate({
        wave: wave([SYNC]),
        revision: REV,
        mergedAt: at(0).toISOString(),
        now: at(minutes),
        isAncestor: async () => false,
        ...(clock ? { clock } : {}),
      });
      clock = outcome.clock;
      return outcome;
    };
    deploy(OLD, "Healthy", 0);
    expect(await step(1)).toMatchObject({ status: "pending" });
    deploy(REV, "Healthy", 2);
    expect(await step(2)).toMatchObject({ status: "pending", remainingMs: 10 * 60_000 });
    deploy(REV, "Progressing", 5);
    const wobble = await step(5);
    expect(wobble.status).toBe("pending");
    expect(wobble.clock.greenSince).toBeUndefined();
    deploy(REV, "Healthy", 6);
    expect(await step(6)).toMatchObject({ status: "pending", remainingMs: 10 * 60_000 });
    expect(await step(16)).toMatchObject({
      status: "pass",
      reason: "all 1 check on 1 cluster passed for 10m",
    });
    expect(clock?.startedAt).toBe(at(0).toISOString());
  });

  it("fails at the progress deadline while the app never reaches the revision", async () => {
    const gate = createHealthGate({
      config: config(false),
      env: { ARGOCD_TOKEN: "gate-test-token-123" },
    });
    deploy(OLD, "Healthy", 0);
    const input = {
      wave: wave([SYNC]),
      revision: REV,
      mergedAt: at(0).toISOString(),
      isAncestor: async () => false,
    };
    const early = await gate({ ...input, now: at(14) });
    expect(early.status).toBe("pending");
    const late = await gate({ ...input, clock: early.clock, now: at(15) });
    expect(late).toMatchObject({ status: "fail", timedOut: true });
    expect(late.reason).toMatch(
      /^progress deadline 15m reached; still not passing: argocd-sync on c1: /,
    );
  });

  it("fails closed when a metric check has no Prometheus configured", async () => {
    const gate = createHealthGate({
      config: config(true),
      env: { ARGOCD_TOKEN: "gate-test-token-123" },
    });
    deploy(REV, "Healthy", 0);
    const cfg = config(true);
    const metric = { name: "error-rate", spec: cfg.healthChecks["error-rate"]! };
    const outcome = await gate({
      wave: { ...wave([SYNC, metric]), waitTimeMs: 0 },
      revision: REV,
      now: at(1),
      isAncestor: async () => false,
    });
    expect(outcome.status).toBe("pending");
    expect(outcome.results.map((r) => [r.check, r.status, r.reason])).toEqual([
      ["argocd-sync", "pass", "api: Synced to 3f2c1d0, Healthy"],
      ["error-rate", "unknown", "no Prometheus configured: add a prometheus: section with its url"],
    ]);
  });
});
