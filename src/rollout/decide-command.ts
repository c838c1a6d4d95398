/**
 * What an authorised command does to a rollout, or why it cannot apply (the reason is replied
 * to the person). Pure.
 */

import { newGateClock } from "../health/evaluate-wave.js";
import type { WavePlan } from "../plan/types.js";
import { isFinished, rolloutPhase } from "./rollout-phase.js";
import {
  type Action,
  type Command,
  LABEL_AWAITING,
  LABEL_HALTED,
  LABEL_HELD,
  type RolloutState,
} from "./types.js";

export type CommandDecision =
  | { ok: true; actions: Action[]; note: string }
  | { ok: false; reason: string };

const refuse = (reason: string): CommandDecision => ({ ok: false, reason });

function unknownWave(wave: string | undefined, plan: readonly WavePlan[]): string | undefined {
  if (wave && plan.some((w) => w.name === wave)) return undefined;
  const names = plan.map((w) => w.name).join(", ");
  return wave
    ? `there is no wave named "${wave}" in this rollout (waves: ${names})`
    : `name the wave (waves: ${names})`;
}

function approve(rollout: RolloutState, cmd: Command, plan: readonly WavePlan[]): CommandDecision {
  const problem = unknownWave(cmd.wave, plan);
  if (problem) return refuse(problem);
  const planned = plan.find((w) => w.name === cmd.wave);
  const wave = rollout.waves.find((w) => w.name === cmd.wave);
  if (!wave)
    return refuse(`wave ${cmd.wave} has no promotion PR yet: approve it once its PR is open`);
  if (wave.pr.state !== "open")
    return refuse(`wave ${cmd.wave}'s PR #${wave.pr.number} is already ${wave.pr.state}`);
  if (!planned?.requireApproval) return refuse(`wave ${cmd.wave} does not require approval`);
  if (wave.meta.approvedBy)
    return { ok: true, actions: [], note: `already approved by ${wave.meta.approvedBy}` };
  const actions: Action[] = [
    { type: "recordApproval", pr: wave.pr.number, wave: wave.name, by: cmd.actor },
    { type: "label", pr: wave.pr.number, add: [], remove: [LABEL_AWAITING] },
  ];
  if (!rollout.held) {
    actions.push({
      type: "mergePr",
      pr: wave.pr.number,
      headSha: wave.pr.headSha,
      kind: "promotion",
      wave: wave.name,
    });
  }
  return { ok: true, actions, note: `wave ${wave.name} approved` };
}

function hold(rollout: RolloutState): CommandDecision {
  if (rollout.held) return { ok: true, actions: [], note: "already on hold" };
  const last = rollout.waves.at(-1);
  if (!last) return refuse("the rollout has no promotion PR to hold");
  return {
    ok: true,
    actions: [{ type: "label", pr: last.pr.number, add: [LABEL_HELD], remove: [] }],
    note: "rollout on hold",
  };
}

function resume(rollout: RolloutState): CommandDecision {
  if (!rollout.held) return { ok: true, actions: [], note: "the rollout is not on hold" };
  const actions: Action[] = rollout.waves
    .filter((w) => w.pr.labels.includes(LABEL_HELD))
    .map((w) => ({ type: "label", pr: w.pr.number, add: [], remove: [LABEL_HELD] }));
  return { ok: true, actions, note: "rollout resumed" };
}

function rollback(rollout: RolloutState, cmd: Command): CommandDecision {
  if (rollout.revert && rollout.revert.pr.state !== "closed") {
    return {
      ok: true,
      actions: [],
      note: `already rolling back in PR #${rollout.revert.pr.number}`,
    };
  }
  const actions: Action[] = rollout.waves
    .filter((w) => w.pr.state === "open")
    .map((w) => ({
      type: "closePr",
      pr: w.pr.number,
      reason: `rollback requested by ${cmd.actor}`,
    }));
  const merged = rollout.waves.filter((w) => w.pr.state === "merged");
  const lastMerged = merged.at(-1);
  if (!lastMerged)
    return { ok: true, actions, note: "nothing was merged yet: the open PR is closed" };
  actions.push({
    type: "openRevertPr",
    rolloutId: rollout.id,
    failedWave: lastMerged.name,
    reason: `rollback requested by ${cmd.actor}`,
  });
  if (!lastMerged.pr.labels.includes(LABEL_HALTED)) {
    actions.push({ type: "label", pr: lastMerged.pr.number, add: [LABEL_HALTED], remove: [] });
  }
  return { ok: true, actions, note: "rolling back" };
}

function retry(
  rollout: RolloutState,
  cmd: Command,
  plan: readonly WavePlan[],
  now: Date,
): CommandDecision {
  const problem = unknownWave(cmd.wave, plan);
  if (problem) return refuse(problem);
  const last = rollout.waves.at(-1);
  if (!last || last.name !== cmd.wave || last.pr.state !== "merged") {
    return refuse(`wave ${cmd.wave} is not the wave that failed`);
  }
  const failed =
    last.check?.status === "completed" &&
    (last.check.conclusion === "failure" || last.check.conclusion === "timed_out");
  if (!failed) return refuse(`wave ${cmd.wave} has not failed: nothing to retry`);
  if (rollout.revert?.pr.state === "merged") {
    return refuse(
      `the rollback (PR #${rollout.revert.pr.number}) is already merged: merge a new change to roll out again`,
    );
  }
  const actions: Action[] = [];
  if (rollout.revert?.pr.state === "open") {
    actions.push({
      type: "closePr",
      pr: rollout.revert.pr.number,
      reason: `wave ${last.name} retried by ${cmd.actor}`,
    });
  }
  actions.push({ type: "label", pr: last.pr.number, add: [], remove: [LABEL_HALTED] });
  actions.push({
    type: "setWaveCheck",
    rolloutId: rollout.id,
    revision: rollout.revision,
    wave: last.name,
    headSha: last.pr.headSha,
    status: "in_progress",
    phase: "gating",
    reason: `retried by ${cmd.actor}: the gate starts again`,
    clock: newGateClock(now),
  });
  return { ok: true, actions, note: `wave ${last.name} gates again` };
}

export function decideCommand(
  rollout: RolloutState,
  cmd: Command,
  plan: readonly WavePlan[],
  now: Date,
): CommandDecision {
  const phase = rolloutPhase(rollout, plan);
  const finished = isFinished(phase);
  switch (cmd.name) {
    case "approve":
      return finished
        ? refuse(`the rollout of ${rollout.revision.slice(0, 7)} is ${phase.kind}`)
        : approve(rollout, cmd, plan);
    case "hold":
      return finished
        ? refuse(`the rollout of ${rollout.revision.slice(0, 7)} is ${phase.kind}`)
        : hold(rollout);
    case "resume":
      return resume(rollout);
    case "rollback":
      if (phase.kind === "superseded") return refuse("the rollout was superseded by a newer one");
      return rollback(rollout, cmd);
    case "retry":
      return retry(rollout, cmd, plan, now);
  }
}
