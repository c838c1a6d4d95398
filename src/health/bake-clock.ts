/**
 * The bake clock: turns one evaluation's check results into the wave's verdict. Pure — the
 * clock comes in and goes out, so it can live in a check run and survive restarts.
 *
 * Worst wins (fail > unknown > pending > pass). The wave passes once every check on every
 * cluster has been pass without a break for `waitTime`; any non-pass restarts the bake;
 * pending/unknown reaching `progressDeadline` (counted from the gate's start or from the last
 * all-green evaluation, whichever is later) fails the wave. Nothing unknown ever passes.
 */
import { formatDuration } from "../config/duration.js";
import type { CheckResult, GateClock, GateOutcome, Verdict } from "./types.js";

export interface AdvanceGateInput {
  clock: GateClock;
  results: CheckResult[];
  now: Date;
  waitTimeMs: number;
  progressDeadlineMs: number;
  /**
   * Consecutive failing evaluations (per `check/cluster`) before a `fail` result fails the
   * wave, for checks whose probe does not count them itself. Below the limit the result is
   * turned into pending. Only the listed checks' counters are touched.
   */
  failureLimits?: Record<string, number>;
}

const SEVERITY: Record<Verdict, number> = { pass: 0, pending: 1, unknown: 2, fail: 3 };

/** The more severe of two verdicts. */
export function worstVerdict(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Results sorted worst first (stable within a severity). */
export function worstFirst(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort((x, y) => SEVERITY[y.status] - SEVERITY[x.status]);
}

export function failureKey(check: string, cluster: string): string {
  return `${check}/${cluster}`;
}

function describe(result: CheckResult): string {
  return `${result.check} on ${result.cluster}: ${result.reason}`;
}

function summarize(results: readonly CheckResult[], limit = 3): string {
  const shown = results.slice(0, limit).map(describe).join("; ");
  return results.length > limit ? `${shown} (+${results.length - limit} more)` : shown;
}

/** Applies `failureLimits`: a fail below its limit becomes pending, counters move. */
function applyFailureLimits(
  results: CheckResult[],
  failures: Record<string, number>,
  limits: Record<string, number>,
): { results: CheckResult[]; failures: Record<string, number> } {
  const next = { ...failures };
  const out = results.map((result) => {
    const limit = limits[result.check];
    if (limit === undefined) return result;
    const key = failureKey(result.check, result.cluster);
    if (result.status === "fail") {
      const count = (next[key] ?? 0) + 1;
      next[key] = count;
      if (count < limit) {
        return {
          ...result,
          status: "pending" as const,
          reason: `${count}/${limit} consecutive failures: ${result.reason}`,
        };
      }
      return result;
    }
    // An unknown answer says nothing about the check: it neither counts nor breaks the streak.
    if (result.status !== "unknown") next[key] = 0;
    return result;
  });
  return { results: out, failures: next };
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `3 checks on 2 clusters`. */
function scope(results: readonly CheckResult[]): string {
  const checks = new Set(results.map((r) => r.check)).size;
  const clusters = new Set(results.map((r) => r.cluster)).size;
  return `${count(checks, "check")} on ${count(clusters, "cluster")}`;
}

export function advanceGate(input: AdvanceGateInput): GateOutcome {
  const { now, waitTimeMs, progressDeadlineMs } = input;
  const nowIso = now.toISOString();
  const limited = input.failureLimits
    ? applyFailureLimits(input.results, input.clock.failures, input.failureLimits)
    : { results: input.results, failures: input.clock.failures };
  const results = limited.results;
  const baseClock: GateClock = { ...input.clock, failures: limited.failures };

  const failed = results.filter((r) => r.status === "fail");
  if (failed.length > 0) {
    const { greenSince: _dropped, ...clock } = baseClock;
    return { status: "fail", reason: summarize(failed), results, clock };
  }

  const allPass = results.length > 0 && results.every((r) => r.status === "pass");
  if (allPass) {
    const greenSince = baseClock.greenSince ?? nowIso;
    const clock: GateClock = { ...baseClock, greenSince, lastGreenAt: nowIso };
    const greenMs = now.getTime() - Date.parse(greenSince);
    const checks = scope(results);
    if (greenMs >= waitTimeMs) {
      const held = waitTimeMs > 0 ? ` for ${formatDuration(waitTimeMs)}` : "";
      return {
        status: "pass",
        reason: `all ${checks} passed${held}`,
        results,
        clock,
        remainingMs: 0,
      };
    }
    const remainingMs = waitTimeMs - greenMs;
    return {
      status: "pending",
      reason: `all ${checks} green; baking ${formatDuration(remainingMs)} more`,
      results,
      clock,
      remainingMs,
    };
  }

  // Not green: the bake restarts, and the progress deadline runs.
  const { greenSince: _dropped, ...clock } = baseClock;
  const notPassing = worstFirst(results.filter((r) => r.status !== "pass"));
  const since = clock.lastGreenAt ?? clock.startedAt;
  const stuckMs = now.getTime() - Date.parse(since);
  const what = notPassing.length > 0 ? summarize(notPassing) : "no health checks reported a result";
  if (stuckMs >= progressDeadlineMs) {
    const list = notPassing.length > 0 ? `still not passing: ${what}` : what;
    return {
      status: "fail",
      reason: `progress deadline ${formatDuration(progressDeadlineMs)} reached; ${list}`,
      results,
      clock,
      timedOut: true,
    };
  }
  return { status: "pending", reason: what, results, clock };
}
