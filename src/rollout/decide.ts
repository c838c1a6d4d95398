/**
 * The rollout's brain: from the state GitHub shows and what was just observed (a gate
 * evaluation, a push, a command), the actions that move the newest rollout on. Pure: no I/O,
 * no clock but `now`, so every transition is a row in a table test.
 */
import type { WavesConfig } from "../config/waves.schema.js";
import { planRollout } from "../plan/plan-rollout.js";
import type { WavePlan } from "../plan/types.js";
import { decideCommand } from "./decide-command.js";
import {
  gateSignature,
  haltedPr,
  hasHaltedLabel,
  isFinished,
  rolloutPhase,
} from "./rollout-phase.js";
import {
  type Action,
  LABEL_AWAITING,
  LABEL_HALTED,
  type Observations,
  type PushObservation,
  type RolloutState,
  type WaveState,
} from "./types.js";

/** The plan a rollout follows under the current configuration. */
export function planOf(
  config: WavesConfig,
  rollout: Pick<RolloutState, "revision" | "changedPaths">,
): WavePlan[] {
  return planRollout(config, { revision: rollout.revision, changedPaths: rollout.changedPaths })
    .waves;
}

/** The newest rollout as a start point for its next wave's PR. */
export function rolloutRef(rollout: RolloutState): PushObservation & { startedAt: string } {
  return {
    revision: rollout.revision,
    source: rollout.source,
    changedPaths: rollout.changedPaths,
    targetBranch: rollout.targetBranch,
    startedAt: rollout.startedAt,
  };
}

function start(push: PushObservation, config: WavesConfig, now: Date): Action[] {
  const first = planOf(config, push)[0];
  if (!first) return [];
  return [
    { type: "openPromotionPr", rollout: { ...push, startedAt: now.toISOString() }, wave: first },
  ];
}

/** Older rollouts left unfinished by a newer one: close what is open, mark them superseded. */
function cleanUpOlder(older: RolloutState, byRevision: string): Action[] {
  if (older.superseded) return [];
  // Its revert too: the newer revision carries every change and bumps every cluster again.
  const open = older.waves.filter((w) => w.pr.state === "open").map((w) => w.pr.number);
  if (older.revert?.pr.state === "open") open.push(older.revert.pr.number);
  const revertDone = older.revert && older.revert.pr.state !== "open";
  const last = older.waves.at(-1);
  const complete = last && last.pr.state === "merged" && last.index === older.waveNames.length - 1;
  if (open.length === 0 && (revertDone || complete)) return [];
  return [{ type: "closeSuperseded", rolloutId: older.id, prs: open, byRevision }];
}

function onPush(
  push: PushObservation,
  rollouts: readonly RolloutState[],
  current: RolloutState | undefined,
  config: WavesConfig,
  now: Date,
): Action[] {
  if (rollouts.some((r) => r.revision === push.revision)) return [];
  if (!current || isFinished(rolloutPhase(current, planOf(config, current)))) {
    return start(push, config, now);
  }
  if (config.onNewChange === "queue") {
    return [{ type: "queueRollout", push, behind: current.revision }];
  }
  return [...start(push, config, now), ...cleanUpOlder(current, push.revision)];
}

function waveCheck(
  rollout: RolloutState,
  wave: WaveState,
  fields: Omit<
    Extract<Action, { type: "setWaveCheck" }>,
    "type" | "rolloutId" | "revision" | "wave" | "headSha"
  >,
): Action {
  return {
    type: "setWaveCheck",
    rolloutId: rollout.id,
    revision: rollout.revision,
    wave: wave.name,
    headSha: wave.pr.headSha,
    ...fields,
  };
}

function halt(rollout: RolloutState, wave: WaveState, reason: string): Action[] {
  const actions: Action[] = [
    { type: "openRevertPr", rolloutId: rollout.id, failedWave: wave.name, reason },
  ];
  if (!wave.pr.labels.includes(LABEL_HALTED)) {
    actions.push({ type: "label", pr: wave.pr.number, add: [LABEL_HALTED], remove: [] });
  }
  return actions;
}

function advance(rollout: RolloutState, next: WavePlan | undefined): Action[] {
  if (!next) return [{ type: "done", rolloutId: rollout.id }];
  if (rollout.held) return [];
  return [{ type: "openPromotionPr", rollout: rolloutRef(rollout), wave: next }];
}

function gate(
  rollout: RolloutState,
  wave: WaveState,
  plan: readonly WavePlan[],
  obs: Observations,
): Action[] {
  const evaluation = obs.gate?.wave === wave.name ? obs.gate.outcome : undefined;
  if (!evaluation) return [];
  const base = { clock: evaluation.clock, outcome: evaluation, reason: evaluation.reason };
  if (evaluation.status === "pending") {
    const unchanged =
      wave.check?.status === "in_progress" && wave.signature === gateSignature(evaluation);
    return unchanged
      ? []
      : [waveCheck(rollout, wave, { ...base, status: "in_progress", phase: "gating" })];
  }
  if (evaluation.status === "pass") {
    return [
      waveCheck(rollout, wave, {
        ...base,
        status: "completed",
        conclusion: "success",
        phase: "passed",
      }),
      ...advance(rollout, plan[wave.index + 1]),
    ];
  }
  const timedOut = evaluation.timedOut === true;
  return [
    waveCheck(rollout, wave, {
      ...base,
      status: "completed",
      conclusion: timedOut ? "timed_out" : "failure",
      phase: timedOut ? "timed-out" : "failed",
    }),
    ...halt(rollout, wave, evaluation.reason),
  ];
}

/** What the newest rollout needs now, from its phase. */
function progress(
  rollout: RolloutState,
  plan: readonly WavePlan[],
  obs: Observations,
  config: WavesConfig,
): Action[] {
  const phase = rolloutPhase(rollout, plan);
  switch (phase.kind) {
    case "awaiting-approval": {
      const { wave } = phase;
      const actions: Action[] = [];
      if (!wave.pr.labels.includes(LABEL_AWAITING)) {
        actions.push({ type: "label", pr: wave.pr.number, add: [LABEL_AWAITING], remove: [] });
      }
      if (wave.check?.conclusion !== "action_required") {
        actions.push(
          waveCheck(rollout, wave, {
            status: "completed",
            conclusion: "action_required",
            phase: "awaiting-approval",
            reason: `waiting for /approve ${wave.name}`,
          }),
        );
      }
      return actions;
    }
    case "merging": {
      if (rollout.held) return [];
      // The wave's check shows up with its PR (queued), so it is there the moment the PR merges.
      const shown: Action[] = phase.wave.check
        ? []
        : [
            waveCheck(rollout, phase.wave, {
              status: "queued",
              phase: "merging",
              reason: "merging",
            }),
          ];
      return [
        ...shown,
        {
          type: "mergePr",
          pr: phase.wave.pr.number,
          headSha: phase.wave.pr.headSha,
          kind: "promotion",
          wave: phase.wave.name,
        },
      ];
    }
    case "gating":
      return gate(rollout, phase.wave, plan, obs);
    case "passed":
      return advance(rollout, plan[phase.wave.index + 1]);
    case "failed":
      return halt(rollout, phase.wave, phase.wave.check?.title ?? "the health gate failed");
    case "reverting":
    case "halted": {
      const actions: Action[] = [];
      const failed = haltedPr(rollout);
      if (failed && !hasHaltedLabel(rollout)) {
        actions.push({ type: "label", pr: failed.pr.number, add: [LABEL_HALTED], remove: [] });
      }
      const revert = rollout.revert;
      if (phase.kind === "reverting" && revert && config.rollback.autoMerge) {
        actions.push({
          type: "mergePr",
          pr: revert.pr.number,
          headSha: revert.pr.headSha,
          kind: "revert",
          wave: revert.meta.failedWave,
        });
      }
      if (revert && !revert.meta.notified)
        actions.push({ type: "notifyHalted", rolloutId: rollout.id });
      return actions;
    }
    case "done":
      return [{ type: "done", rolloutId: rollout.id }];
    default:
      return [];
  }
}

/**
 * The actions for this moment. `rollouts` is every rollout GitHub shows, oldest first; the last
 * one is the newest and the only one that moves. A command is applied alone (the next round
 * decides what follows from it).
 */
export function decide(
  rollouts: readonly RolloutState[],
  obs: Observations,
  now: Date,
  config: WavesConfig,
): Action[] {
  const current = rollouts.at(-1);
  if (obs.push) return onPush(obs.push, rollouts, current, config, now);
  if (obs.command) {
    if (!current) return [];
    const result = decideCommand(current, obs.command, planOf(config, current), now);
    return result.ok ? result.actions : [];
  }
  const actions: Action[] = [];
  if (current) {
    for (const older of rollouts.slice(0, -1))
      actions.push(...cleanUpOlder(older, current.revision));
  }
  const plan = current ? planOf(config, current) : [];
  const finished = !current || isFinished(rolloutPhase(current, plan));
  if (finished && obs.queued && !rollouts.some((r) => r.revision === obs.queued?.revision)) {
    return [...actions, ...start(obs.queued, config, now)];
  }
  if (current) actions.push(...progress(current, plan, obs, config));
  return actions;
}
