/**
 * One evaluation of a wave's gate: run every probe over the wave's checks (in parallel), merge
 * what they remember into the clock, and let the bake clock decide. A check type nobody
 * answers, or a probe that throws, is `unknown` — never pass.
 */
import type { PlannedCheck, WavePlan } from "../plan/types.js";
import { redact } from "../util/redact.js";
import { advanceGate } from "./bake-clock.js";
import type { CheckResult, GateClock, GateOutcome, HealthProbe, ProbeContext } from "./types.js";

export interface EvaluateWaveInput {
  wave: WavePlan;
  revision: string;
  mergeCommitSha?: string;
  /** When the promotion merged (ISO-8601); the clock starts here when none is given. */
  mergedAt?: string;
  clock?: GateClock;
  now: Date;
  probes: HealthProbe[];
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

/** A fresh gate clock starting at `startedAt`. */
export function newGateClock(startedAt: Date | string): GateClock {
  const iso =
    typeof startedAt === "string" ? new Date(startedAt).toISOString() : startedAt.toISOString();
  return { startedAt: iso, failures: {} };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Applies probe patches: map fields (failures, lastRun…) merge per key, the rest replace. */
export function mergeClock(clock: GateClock, patches: readonly Partial<GateClock>[]): GateClock {
  const merged: Record<string, unknown> = { ...clock };
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const current = merged[key];
      merged[key] =
        isPlainRecord(current) && isPlainRecord(value) ? { ...current, ...value } : value;
    }
  }
  return merged as unknown as GateClock;
}

function unknownFor(checks: PlannedCheck[], clusters: string[], reason: string): CheckResult[] {
  return checks.flatMap((check) =>
    clusters.map((cluster) => ({ check: check.name, cluster, status: "unknown" as const, reason })),
  );
}

export async function evaluateWave(input: EvaluateWaveInput): Promise<GateOutcome> {
  const { wave, now } = input;
  const clock = input.clock ?? newGateClock(input.mergedAt ?? now);
  const ctx: ProbeContext = {
    wave,
    revision: input.revision,
    now,
    clock,
    isAncestor: input.isAncestor,
    ...(input.mergeCommitSha ? { mergeCommitSha: input.mergeCommitSha } : {}),
    ...(input.mergedAt ? { mergedAt: input.mergedAt } : {}),
  };

  const claimed = new Set<string>();
  const runs = input.probes.map((probe) => {
    const checks = wave.checks.filter(
      (check) => !claimed.has(check.name) && probe.types.includes(check.spec.type),
    );
    for (const check of checks) claimed.add(check.name);
    return { probe, checks };
  });
  const unanswered = wave.checks.filter((check) => !claimed.has(check.name));

  const answers = await Promise.all(
    runs
      .filter((run) => run.checks.length > 0)
      .map(async ({ probe, checks }) => {
        try {
          return { probe, checks, ...(await probe.run(ctx, checks)) };
        } catch (error) {
          const message = redact(error instanceof Error ? error.message : String(error));
          return {
            probe,
            checks,
            results: unknownFor(checks, wave.clusters, `health probe failed: ${message}`),
          };
        }
      }),
  );

  const results: CheckResult[] = answers.flatMap((answer) => answer.results);
  for (const check of unanswered) {
    results.push(
      ...unknownFor([check], wave.clusters, `no probe for check type ${check.spec.type}`),
    );
  }
  const order = new Map(wave.checks.map((check, index) => [check.name, index]));
  const clusterOrder = new Map(wave.clusters.map((cluster, index) => [cluster, index]));
  results.sort(
    (a, b) =>
      (order.get(a.check) ?? 0) - (order.get(b.check) ?? 0) ||
      (clusterOrder.get(a.cluster) ?? 0) - (clusterOrder.get(b.cluster) ?? 0),
  );

  // Probes that do not count consecutive failures themselves get the gate to do it.
  const failureLimits: Record<string, number> = {};
  for (const { probe, checks } of runs) {
    if (probe.countsFailures) continue;
    for (const check of checks) {
      const limit = "failureLimit" in check.spec ? check.spec.failureLimit : 1;
      if (limit > 1) failureLimits[check.name] = limit;
    }
  }

  return advanceGate({
    clock: mergeClock(
      clock,
      answers.flatMap((answer) =>
        "clockPatch" in answer && answer.clockPatch ? [answer.clockPatch] : [],
      ),
    ),
    results,
    now,
    waitTimeMs: wave.waitTimeMs,
    progressDeadlineMs: wave.progressDeadlineMs,
    ...(Object.keys(failureLimits).length > 0 ? { failureLimits } : {}),
  });
}
