/** Where a rollout stands, read from its derived state and its plan. Pure. */
import { createHash } from "node:crypto";
import type { GateOutcome } from "../health/types.js";
import type { WavePlan } from "../plan/types.js";
import { LABEL_HALTED, type RolloutPhase, type RolloutState, type WaveState } from "./types.js";

export function rolloutPhase(rollout: RolloutState, plan: readonly WavePlan[]): RolloutPhase {
  if (rollout.superseded) return { kind: "superseded" };
  // A revert closed without merging was withdrawn (`/retry`): the waves speak again.
  const revert = rollout.revert;
  if (revert?.pr.state === "open") return { kind: "reverting", revert };
  if (revert?.pr.state === "merged") {
    return { kind: "halted", reason: `wave ${revert.meta.failedWave}: ${revert.meta.reason}` };
  }
  const last = rollout.waves.at(-1);
  if (!last) return { kind: "start" };
  if (last.pr.state === "closed") {
    return { kind: "closed", reason: `promotion PR #${last.pr.number} was closed without merging` };
  }
  const wave = plan[last.index];
  if (last.pr.state === "open") {
    if (wave?.requireApproval && !last.meta.approvedBy)
      return { kind: "awaiting-approval", wave: last };
    if (wave && !wave.autoMerge && !wave.requireApproval)
      return { kind: "awaiting-merge", wave: last };
    return { kind: "merging", wave: last };
  }
  const check = last.check;
  if (check?.status === "completed" && check.conclusion !== "action_required") {
    if (check.conclusion === "success") {
      const next = plan[last.index + 1]?.name;
      return next ? { kind: "passed", wave: last, next } : { kind: "done" };
    }
    if (check.conclusion === "failure" || check.conclusion === "timed_out") {
      return { kind: "failed", wave: last };
    }
    return { kind: "closed", reason: `wave ${last.name} check concluded ${check.conclusion}` };
  }
  return { kind: "gating", wave: last };
}

/** Finished rollouts need nothing more (and never block a queued change). */
export function isFinished(phase: RolloutPhase): boolean {
  return ["done", "halted", "superseded", "closed"].includes(phase.kind);
}

/** The failed wave of a halted rollout carries `waves:halted`. */
export function haltedPr(rollout: RolloutState): WaveState | undefined {
  const failed = rollout.revert?.meta.failedWave;
  return rollout.waves.find((w) => w.name === failed) ?? rollout.waves.at(-1);
}

export function hasHaltedLabel(rollout: RolloutState): boolean {
  return rollout.waves.some((w) => w.pr.labels.includes(LABEL_HALTED));
}

/**
 * A fingerprint of what a gate evaluation shows: verdicts and the clock's bake state, not the
 * evaluation time, so a pending gate whose picture did not change writes nothing.
 */
export function gateSignature(outcome: GateOutcome): string {
  const results = outcome.results
    .map((r) => `${r.check}|${r.cluster}|${r.status}|${r.reason}`)
    .sort();
  const { startedAt, greenSince, failures } = outcome.clock;
  const text = JSON.stringify([
    outcome.status,
    results,
    startedAt,
    greenSince ?? "",
    Object.entries(failures).sort(),
  ]);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
