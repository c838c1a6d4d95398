import { describe, expect, it } from "vitest";
import { advanceGate, worstFirst, worstVerdict } from "../../src/health/bake-clock.js";
import type { CheckResult, GateClock, GateOutcome, Verdict } from "../../src/health/types.js";

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function result(status: Verdict, check = "argocd-sync", cluster = "c1"): CheckResult {
  return { check, cluster, status, reason: `${check} is ${status}` };
}

const startClock = (): GateClock => ({ startedAt: iso(0), failures: {} });

/** Runs a sequence of evaluations (minute, verdicts) through the gate, threading the clock. */
function run(
  steps: [minute: number, verdicts: Verdict[]][],
  opts: { waitMin: number; deadlineMin: number; failureLimits?: Record<string, number> },
): GateOutcome[] {
  let clock = startClock();
  const outcomes: GateOutcome[] = [];
  for (const [minute, verdicts] of steps) {
    const outcome = advanceGate({
      clock,
      results: verdicts.map((v, i) => result(v, i === 0 ? "argocd-sync" : `check-${i}`)),
      now: at(minute),
      waitTimeMs: opts.waitMin * 60_000,
      progressDeadlineMs: opts.deadlineMin * 60_000,
      ...(opts.failureLimits ? { failureLimits: opts.failureLimits } : {}),
    });
    outcomes.push(outcome);
    clock = outcome.clock;
  }
  return outcomes;
}

describe("advanceGate", () => {
  const table: {
    name: string;
    steps: [number, Verdict[]][];
    waitMin: number;
    deadlineMin?: number;
    expected: (GateOutcome["status"] | "timeout")[];
    greenSince?: (string | undefined)[];
    remainingMin?: (number | undefined)[];
  }[] = [
    {
      name: "green for the whole wait passes at the exact boundary",
      steps: [
        [0, ["pass"]],
        [10, ["pass"]],
        [29, ["pass"]],
        [30, ["pass"]],
      ],
      waitMin: 30,
      expected: ["pending", "pending", "pending", "pass"],
      greenSince: [iso(0), iso(0), iso(0), iso(0)],
      remainingMin: [30, 20, 1, 0],
    },
    {
      name: "flapping restarts the bake each time",
      steps: [
        [0, ["pass"]],
        [20, ["pending"]],
        [21, ["pass"]],
        [40, ["unknown"]],
        [41, ["pass"]],
        [70, ["pass"]],
        [71, ["pass"]],
      ],
      waitMin: 30,
      deadlineMin: 60,
      expected: ["pending", "pending", "pending", "pending", "pending", "pending", "pass"],
      greenSince: [iso(0), undefined, iso(21), undefined, iso(41), iso(41), iso(41)],
      remainingMin: [30, undefined, 30, undefined, 30, 1, 0],
    },
    {
      name: "waitTime 0 passes on the first all-green evaluation",
      steps: [[5, ["pass", "pass"]]],
      waitMin: 0,
      expected: ["pass"],
      greenSince: [iso(5)],
      remainingMin: [0],
    },
    {
      name: "one fail among passes fails at once",
      steps: [
        [0, ["pass"]],
        [1, ["pass", "fail"]],
      ],
      waitMin: 0,
      expected: ["pass", "fail"],
      greenSince: [iso(0), undefined],
    },
    {
      name: "unknown never passes, and reaches the deadline",
      steps: [
        [0, ["unknown"]],
        [14, ["unknown"]],
        [15, ["unknown"]],
      ],
      waitMin: 0,
      deadlineMin: 15,
      expected: ["pending", "pending", "timeout"],
    },
    {
      name: "pending past the deadline since the start fails as timed out",
      steps: [
        [1, ["pending"]],
        [16, ["pending"]],
      ],
      waitMin: 0,
      deadlineMin: 15,
      expected: ["pending", "timeout"],
    },
    {
      name: "the deadline counts from the last green evaluation",
      steps: [
        [0, ["pass"]],
        [10, ["pass"]],
        [11, ["pending"]],
        [24, ["pending"]],
        [25, ["pending"]],
      ],
      waitMin: 60,
      deadlineMin: 15,
      expected: ["pending", "pending", "pending", "pending", "timeout"],
    },
    {
      name: "a long green bake is not limited by the deadline",
      steps: [
        [0, ["pass"]],
        [60, ["pass"]],
        [120, ["pass"]],
      ],
      waitMin: 120,
      deadlineMin: 15,
      expected: ["pending", "pending", "pass"],
    },
    {
      name: "zero results never pass",
      steps: [
        [0, []],
        [1, []],
      ],
      waitMin: 0,
      deadlineMin: 15,
      expected: ["pending", "pending"],
    },
    {
      name: "fail wins over unknown and pending",
      steps: [[0, ["unknown", "pending", "fail", "pass"]]],
      waitMin: 0,
      expected: ["fail"],
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      const outcomes = run(row.steps, { waitMin: row.waitMin, deadlineMin: row.deadlineMin ?? 15 });
      expect(outcomes.map((o) => (o.timedOut ? "timeout" : o.status))).toEqual(row.expected);
      if (row.greenSince) expect(outcomes.map((o) => o.clock.greenSince)).toEqual(row.greenSince);
      if (row.remainingMin) {
        expect(
          outcomes.map((o) => (o.remainingMs === undefined ? undefined : o.remainingMs / 60_000)),
        ).toEqual(row.remainingMin);
      }
    });
  }

  it("explains the bake, the pass, the worst result and the deadline", () => {
    const clock = startClock();
    const base = { clock, waitTimeMs: 30 * 60_000, progressDeadlineMs: 15 * 60_000 };
    expect(advanceGate({ ...base, results: [result("pass")], now: at(0) }).reason).toBe(
      "all 1 check on 1 cluster green; baking 30m more",
    );
    expect(
      advanceGate({
        ...base,
        clock: { ...clock, greenSince: iso(0) },
        results: [result("pass"), result("pass", "pod-health")],
        now: at(30),
      }).reason,
    ).toBe("all 2 checks on 1 cluster passed for 30m");
    expect(
      advanceGate({
        ...base,
        results: [result("pending"), result("unknown", "error-rate", "c2"), result("pass")],
        now: at(1),
      }).reason,
    ).toBe("error-rate on c2: error-rate is unknown; argocd-sync on c1: argocd-sync is pending");
    const timedOut = advanceGate({
      ...base,
      results: [result("pending", "argocd-sync", "c1"), result("pass", "pod-health", "c1")],
      now: at(15),
    });
    expect(timedOut).toMatchObject({ status: "fail", timedOut: true });
    expect(timedOut.reason).toBe(
      "progress deadline 15m reached; still not passing: argocd-sync on c1: argocd-sync is pending",
    );
    expect(advanceGate({ ...base, results: [], now: at(15) }).reason).toBe(
      "progress deadline 15m reached; no health checks reported a result",
    );
    const manyFails = advanceGate({
      ...base,
      results: ["a", "b", "c", "d", "e"].map((c) => result("fail", "pod-health", c)),
      now: at(1),
    });
    expect(manyFails.reason).toBe(
      "pod-health on a: pod-health is fail; pod-health on b: pod-health is fail; pod-health on c: pod-health is fail (+2 more)",
    );
  });

  it("counts consecutive failures for the listed checks only, and resets on pass", () => {
    const outcomes = run(
      [
        [0, ["fail"]],
        [1, ["fail"]],
        [2, ["pass"]],
        [3, ["fail"]],
        [4, ["unknown"]],
        [5, ["fail"]],
        [6, ["fail"]],
      ],
      { waitMin: 60, deadlineMin: 60, failureLimits: { "argocd-sync": 3 } },
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
      "fail",
    ]);
    expect(outcomes.map((o) => o.clock.failures["argocd-sync/c1"])).toEqual([1, 2, 0, 1, 1, 2, 3]);
    expect(outcomes[1]?.results[0]?.reason).toBe("2/3 consecutive failures: argocd-sync is fail");
    expect(outcomes[6]?.reason).toBe("argocd-sync on c1: argocd-sync is fail");
  });

  it("keeps other counters (kept by probes) untouched", () => {
    const outcome = advanceGate({
      clock: { startedAt: iso(0), failures: { "error-rate/c1": 2 } },
      results: [result("pass")],
      now: at(1),
      waitTimeMs: 0,
      progressDeadlineMs: 60_000,
      failureLimits: { "argocd-sync": 2 },
    });
    expect(outcome.clock.failures).toEqual({ "error-rate/c1": 2, "argocd-sync/c1": 0 });
  });

  it("orders verdicts worst first", () => {
    expect(worstVerdict("pending", "unknown")).toBe("unknown");
    expect(worstVerdict("fail", "unknown")).toBe("fail");
    expect(worstVerdict("pass", "pass")).toBe("pass");
    expect(
      worstFirst([result("pass"), result("fail"), result("pending")]).map((r) => r.status),
    ).toEqual(["fail", "pending", "pass"]);
  });
});
