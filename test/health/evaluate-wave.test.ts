import { describe, expect, it } from "vitest";
import type { HealthCheck } from "../../src/config/waves.schema.js";
import { evaluateWave, mergeClock, newGateClock } from "../../src/health/evaluate-wave.js";
import type {
  CheckResult,
  GateClock,
  HealthProbe,
  ProbeContext,
  Verdict,
} from "../../src/health/types.js";
import type { PlannedCheck, WavePlan } from "../../src/plan/types.js";

const T0 = Date.parse("2026-03-01T12:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function wave(checks: PlannedCheck[], over: Partial<WavePlan> = {}): WavePlan {
  return {
    name: "canary",
    index: 0,
    clusters: ["c1", "c2"],
    files: [],
    checks,
    waitTimeMs: 10 * 60_000,
    progressDeadlineMs: 15 * 60_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
    ...over,
  };
}

const argo: PlannedCheck = { name: "argocd-sync", spec: { type: "argocd-sync", failureLimit: 1 } };
const pods: PlannedCheck = {
  name: "pod-health",
  spec: { type: "pod-health", maxRestarts: 0, failureLimit: 2 },
};
const errorRate: PlannedCheck = {
  name: "error-rate",
  spec: {
    type: "prometheus",
    query: "x",
    condition: "< 1",
    onNoData: "fail",
    failureLimit: 1,
  } satisfies HealthCheck,
};

/** A probe answering fixed verdicts per check, recording what it was asked. */
function fakeProbe(
  types: string[],
  verdicts: Record<string, Verdict>,
  extra: { patch?: Partial<GateClock>; throws?: string; countsFailures?: boolean } = {},
) {
  const calls: { ctx: ProbeContext; checks: string[] }[] = [];
  const probe: HealthProbe = {
    types,
    ...(extra.countsFailures ? { countsFailures: true } : {}),
    async run(ctx, checks) {
      calls.push({ ctx, checks: checks.map((c) => c.name) });
      if (extra.throws) throw new Error(extra.throws);
      const results: CheckResult[] = checks.flatMap((c) =>
        ctx.wave.clusters.map((cluster) => ({
          check: c.name,
          cluster,
          status: verdicts[c.name] ?? "unknown",
          reason: `${c.name} says ${verdicts[c.name]}`,
        })),
      );
      return extra.patch ? { results, clockPatch: extra.patch } : { results };
    },
  };
  return { probe, calls };
}

const noAncestry = async () => false;

describe("evaluateWave", () => {
  it("starts the clock at mergedAt, hands each probe its checks, and bakes", async () => {
    const a = fakeProbe(["argocd-sync", "pod-health"], {
      "argocd-sync": "pass",
      "pod-health": "pass",
    });
    const p = fakeProbe(["prometheus"], { "error-rate": "pass" }, { countsFailures: true });
    const outcome = await evaluateWave({
      wave: wave([argo, errorRate, pods]),
      revision: "abc1234",
      mergeCommitSha: "def5678",
      mergedAt: "2026-03-01T11:58:00Z",
      now: at(0),
      probes: [a.probe, p.probe],
      isAncestor: noAncestry,
    });
    expect(a.calls.map((c) => c.checks)).toEqual([["argocd-sync", "pod-health"]]);
    expect(p.calls.map((c) => c.checks)).toEqual([["error-rate"]]);
    expect(a.calls[0]?.ctx).toMatchObject({
      revision: "abc1234",
      mergeCommitSha: "def5678",
      mergedAt: "2026-03-01T11:58:00Z",
    });
    expect(outcome.status).toBe("pending");
    expect(outcome.clock.startedAt).toBe("2026-03-01T11:58:00.000Z");
    expect(outcome.clock.greenSince).toBe(at(0).toISOString());
    expect(outcome.remainingMs).toBe(10 * 60_000);
    // Results ordered as the wave lists its checks, then its clusters.
    expect(outcome.results.map((r) => `${r.check}/${r.cluster}`)).toEqual([
      "argocd-sync/c1",
      "argocd-sync/c2",
      "error-rate/c1",
      "error-rate/c2",
      "pod-health/c1",
      "pod-health/c2",
    ]);

    const later = await evaluateWave({
      wave: wave([argo, errorRate, pods]),
      revision: "abc1234",
      clock: outcome.clock,
      now: at(10),
      probes: [a.probe, p.probe],
      isAncestor: noAncestry,
    });
    expect(later).toMatchObject({ status: "pass", remainingMs: 0 });
  });

  it("answers unknown for a check type with no probe, so the wave never passes", async () => {
    const a = fakeProbe(["argocd-sync"], { "argocd-sync": "pass" });
    const outcome = await evaluateWave({
      wave: wave([argo, errorRate], { waitTimeMs: 0 }),
      revision: "r",
      now: at(0),
      probes: [a.probe],
      isAncestor: noAncestry,
    });
    expect(outcome.status).toBe("pending");
    expect(outcome.results.filter((r) => r.check === "error-rate")).toEqual([
      {
        check: "error-rate",
        cluster: "c1",
        status: "unknown",
        reason: "no probe for check type prometheus",
      },
      {
        check: "error-rate",
        cluster: "c2",
        status: "unknown",
        reason: "no probe for check type prometheus",
      },
    ]);
    expect(outcome.clock.startedAt).toBe(at(0).toISOString());
  });

  it("turns a throwing probe into unknown results without leaking secrets", async () => {
    const a = fakeProbe(["argocd-sync"], {}, { throws: "boom Authorization: Bearer abcdefghijkl" });
    const outcome = await evaluateWave({
      wave: wave([argo], { waitTimeMs: 0 }),
      revision: "r",
      now: at(0),
      probes: [a.probe],
      isAncestor: noAncestry,
    });
    expect(outcome.status).toBe("pending");
    expect(outcome.results[0]).toEqual({
      check: "argocd-sync",
      cluster: "c1",
      status: "unknown",
      reason: "health probe failed: boom Authorization: ***",
    });
  });

  it("merges clock patches per key and keeps what it was given", async () => {
    const a = fakeProbe(
      ["argocd-sync"],
      { "argocd-sync": "pass" },
      { patch: { restartBaseline: { "c1/app/ns/pod": 2 } } },
    );
    const p = fakeProbe(
      ["prometheus"],
      { "error-rate": "pass" },
      {
        patch: { failures: { "error-rate/c1": 0 }, lastRun: { "error-rate": at(0).toISOString() } },
        countsFailures: true,
      },
    );
    const outcome = await evaluateWave({
      wave: wave([argo, errorRate], { waitTimeMs: 0 }),
      revision: "r",
      clock: {
        startedAt: at(-5).toISOString(),
        failures: { "other/c1": 4 },
        restartBaseline: { old: 1 },
      },
      now: at(0),
      probes: [a.probe, p.probe],
      isAncestor: noAncestry,
    });
    expect(outcome.status).toBe("pass");
    expect(outcome.clock).toEqual({
      startedAt: at(-5).toISOString(),
      failures: { "other/c1": 4, "error-rate/c1": 0 },
      restartBaseline: { old: 1, "c1/app/ns/pod": 2 },
      lastRun: { "error-rate": at(0).toISOString() },
      greenSince: at(0).toISOString(),
      lastGreenAt: at(0).toISOString(),
    });
  });

  it("counts failureLimit for probes that do not, and not for those that do", async () => {
    const a = fakeProbe(["argocd-sync", "pod-health"], {
      "argocd-sync": "pass",
      "pod-health": "fail",
    });
    const w = wave([argo, pods], { clusters: ["c1"] });
    const first = await evaluateWave({
      wave: w,
      revision: "r",
      now: at(0),
      probes: [a.probe],
      isAncestor: noAncestry,
    });
    expect(first.status).toBe("pending");
    expect(first.results[1]?.reason).toBe("1/2 consecutive failures: pod-health says fail");
    const second = await evaluateWave({
      wave: w,
      revision: "r",
      clock: first.clock,
      now: at(1),
      probes: [a.probe],
      isAncestor: noAncestry,
    });
    expect(second.status).toBe("fail");
    expect(second.clock.failures).toEqual({ "pod-health/c1": 2 });

    const counting = fakeProbe(["pod-health"], { "pod-health": "fail" }, { countsFailures: true });
    const direct = await evaluateWave({
      wave: wave([pods], { clusters: ["c1"] }),
      revision: "r",
      now: at(0),
      probes: [counting.probe],
      isAncestor: noAncestry,
    });
    expect(direct.status).toBe("fail");
  });

  it("gives the first probe that claims a type its checks", async () => {
    const first = fakeProbe(["prometheus"], { "error-rate": "pass" }, { countsFailures: true });
    const second = fakeProbe(["prometheus"], { "error-rate": "fail" }, { countsFailures: true });
    const outcome = await evaluateWave({
      wave: wave([errorRate], { waitTimeMs: 0 }),
      revision: "r",
      now: at(0),
      probes: [first.probe, second.probe],
      isAncestor: noAncestry,
    });
    expect(outcome.status).toBe("pass");
    expect(second.calls).toEqual([]);
  });

  it("builds and merges clocks", () => {
    expect(newGateClock("2026-03-01T12:00:00+01:00")).toEqual({
      startedAt: "2026-03-01T11:00:00.000Z",
      failures: {},
    });
    expect(
      mergeClock({ startedAt: "s", failures: { a: 1 }, greenSince: "g" }, [
        { failures: { b: 2 } },
        { greenSince: "h", failures: { a: 0 } },
      ]),
    ).toEqual({ startedAt: "s", failures: { a: 0, b: 2 }, greenSince: "h" });
  });
});
