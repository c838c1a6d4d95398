import { createHash } from "node:crypto";
/**
 * setWaveCheck, setRolloutCheck and queueRollout: check runs found again by name on the commit
 * (and identified by external id), written only when what they show changes.
 */
import type { WavesConfig } from "../../config/waves.schema.js";
import type { CheckRunAction } from "../../scm/port.js";
import { safeUserText } from "../../util/redact.js";
import { planOf } from "../decide.js";
import { waveCheckOutput } from "../render-bodies.js";
import { rolloutCheckSummary, rolloutCheckView } from "../render-rollout.js";
import { decodeSignature, encodeQueued, encodeSignature } from "../state-codec.js";
import {
  type PushObservation,
  ROLLOUT_CHECK,
  type RolloutState,
  shortRevision,
  type WaveCheckAction,
  waveCheckName,
} from "../types.js";
import type { StepContext } from "./context.js";

export const approveAction = (wave: string): CheckRunAction => ({
  label: "Approve",
  identifier: `approve:${wave}`,
  description: `Approve wave ${wave}`.slice(0, 40),
});

function waitTimeOf(config: WavesConfig, action: WaveCheckAction, changedPaths: string[]): number {
  try {
    return (
      planOf(config, { revision: action.revision, changedPaths }).find(
        (w) => w.name === action.wave,
      )?.waitTimeMs ?? 0
    );
  } catch {
    return 0;
  }
}

export async function setWaveCheck(
  ctx: StepContext,
  action: WaveCheckAction,
  changedPaths: string[],
): Promise<void> {
  const now = ctx.env.now();
  const output = await waveCheckOutput(
    action,
    waitTimeOf(ctx.config, action, changedPaths),
    now,
    ctx.overrides,
  );
  await ctx.env.target.setCheckRun({
    name: waveCheckName(action.wave),
    headSha: action.headSha,
    status: action.status,
    ...(action.conclusion ? { conclusion: action.conclusion } : {}),
    externalId: `waves/${action.rolloutId}/${action.wave}`,
    ...output,
    ...(action.phase === "awaiting-approval" ? { actions: [approveAction(action.wave)] } : {}),
  });
  if (action.status === "completed" && action.phase !== "awaiting-approval") {
    ctx.report.waveOutcomes.push(action.phase);
  }
}

/** The `waves / rollout` check on the source commit, written when it shows something new. */
export async function setRolloutCheck(ctx: StepContext, rollout: RolloutState): Promise<void> {
  const plan = planOf(ctx.config, rollout);
  const shown = rolloutCheckView(rollout, plan);
  const view = ctx.blocked
    ? { ...shown, headline: `Blocked: ${safeUserText(ctx.blocked)}`.slice(0, 200) }
    : shown;
  // Compared by a fingerprint of what it shows, so an unchanged rollout renders and writes nothing.
  const signature = createHash("sha256").update(JSON.stringify(view)).digest("hex").slice(0, 16);
  if (rollout.rolloutCheck && decodeSignature(rollout.rolloutCheck.text) === signature) return;
  await ctx.env.source.setCheckRun({
    name: ROLLOUT_CHECK,
    headSha: rollout.revision,
    status: view.status,
    ...(view.conclusion ? { conclusion: view.conclusion } : {}),
    externalId: `waves/${rollout.id}`,
    title: view.headline.slice(0, 200),
    summary: await rolloutCheckSummary(rollout, view, ctx.overrides),
    text: encodeSignature(signature),
  });
}

/** A change waiting for the rollout in flight (`onNewChange: queue`). */
export async function queueRollout(
  ctx: StepContext,
  push: PushObservation,
  behind: string,
): Promise<void> {
  await ctx.env.source.setCheckRun({
    name: ROLLOUT_CHECK,
    headSha: push.revision,
    status: "queued",
    externalId: `waves/${shortRevision(push.revision)}`,
    title: `Queued behind the rollout of ${shortRevision(behind)}`,
    summary: `This change starts at the first wave once the rollout of \`${shortRevision(behind)}\` finishes.`,
    text: encodeQueued({
      revision: push.revision,
      changedPaths: push.changedPaths.slice(0, 1000),
      source: push.source,
      targetBranch: push.targetBranch,
    }),
  });
}

/** The superseded rollout's overall check says by what. */
export async function markSuperseded(
  ctx: StepContext,
  rollout: RolloutState,
  byRevision: string,
): Promise<void> {
  const newer = ctx.opened.get(byRevision);
  const by = newer
    ? `[the rollout of \`${shortRevision(byRevision)}\`](${newer.url})`
    : `the rollout of \`${shortRevision(byRevision)}\``;
  await ctx.env.source.setCheckRun({
    name: ROLLOUT_CHECK,
    headSha: rollout.revision,
    status: "completed",
    conclusion: "neutral",
    externalId: `waves/${rollout.id}`,
    title: `Superseded by ${shortRevision(byRevision)}`,
    summary: `A newer change superseded this rollout: ${by} carries it (revisions are cumulative).`,
  });
}
