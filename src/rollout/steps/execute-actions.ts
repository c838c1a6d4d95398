/**
 * Carries out what `decide` asked, through the ports, in order. Every action is idempotent on
 * its own (adopted PRs, merges with the expected head, checks by name), so a crash between two
 * of them is repaired by the next reconcile.
 */
import type { MergeOutcome } from "../../scm/port.js";
import { noMentions, safeUserText } from "../../util/redact.js";
import { haltedComment } from "../render-rollout.js";
import { decodeState, replaceState } from "../state-codec.js";
import {
  type Action,
  LABEL_SUPERSEDED,
  MERGE_MARKER,
  type RolloutState,
  shortRevision,
  waveCheckName,
} from "../types.js";
import { markSuperseded, queueRollout, setWaveCheck } from "./check-steps.js";
import type { StepContext } from "./context.js";
import { ensurePromotionPr, ensureRevertPr, RolloutStepError } from "./pull-request-steps.js";

const describe = (action: Action): string => {
  switch (action.type) {
    case "openPromotionPr":
      return `openPromotionPr:${action.wave.name}`;
    case "mergePr":
      return `mergePr:#${action.pr}`;
    case "setWaveCheck":
      return `setWaveCheck:${action.wave}:${action.conclusion ?? action.status}`;
    case "openRevertPr":
      return `openRevertPr:${action.failedWave}`;
    case "closeSuperseded":
      return `closeSuperseded:${action.rolloutId}`;
    case "label":
      return `label:#${action.pr}:+${action.add.join(",")}-${action.remove.join(",")}`;
    case "recordApproval":
      return `recordApproval:#${action.pr}`;
    case "closePr":
      return `closePr:#${action.pr}`;
    case "notifyHalted":
      return `notifyHalted:${action.rolloutId}`;
    case "queueRollout":
      return `queueRollout:${shortRevision(action.push.revision)}`;
    case "done":
      return `done:${action.rolloutId}`;
  }
};

async function merge(
  ctx: StepContext,
  action: Extract<Action, { type: "mergePr" }>,
  rollout: RolloutState | undefined,
): Promise<MergeOutcome> {
  const { target, logger } = ctx.env;
  const short = rollout ? shortRevision(rollout.revision) : "";
  const message =
    action.kind === "promotion"
      ? `Merge wave ${action.wave} of ${short} ${MERGE_MARKER}`
      : `Roll back ${short} after wave ${action.wave} failed ${MERGE_MARKER}`;
  const outcome = await target.mergePullRequest(action.pr, action.headSha, message);
  if (outcome.status === "merged" || outcome.status === "already-merged") return outcome;
  logger.warn(
    { pr: action.pr, status: outcome.status, reason: outcome.reason },
    "merge not done; retried later",
  );
  if (action.kind === "promotion" && rollout && outcome.status !== "head-moved") {
    // The reason shows on the PR (as its wave check) until the merge goes through.
    const existing = await target.findCheckRun(waveCheckName(action.wave), action.headSha);
    const title =
      `Merge of wave ${action.wave} blocked: ${safeUserText(outcome.reason).replace(/\r?\n/g, " ")}`.slice(
        0,
        200,
      );
    if (existing?.title !== title) {
      await setWaveCheck(
        ctx,
        {
          type: "setWaveCheck",
          rolloutId: rollout.id,
          revision: rollout.revision,
          wave: action.wave,
          headSha: action.headSha,
          status: "queued",
          phase: "merge-blocked",
          reason: outcome.reason,
        },
        rollout.changedPaths,
      );
    }
  }
  return outcome;
}

async function notifyHalted(ctx: StepContext, rollout: RolloutState): Promise<void> {
  const revert = rollout.revert;
  const body = noMentions(await haltedComment(rollout, ctx.overrides));
  // Said once even when a crash comes before the "notified" mark below.
  const once = { once: { key: `halted/${rollout.id}`, by: ctx.env.appLogin } };
  if (rollout.source.pullRequest) {
    await ctx.env.source.comment(rollout.source.pullRequest, body, once);
  } else {
    const failed =
      rollout.waves.find((w) => w.name === revert?.meta.failedWave) ?? rollout.waves.at(-1);
    if (failed) await ctx.env.target.comment(failed.pr.number, body, once);
  }
  if (revert) {
    await ctx.env.target.updatePullRequestBody(
      revert.pr.number,
      replaceState(revert.pr.body, { ...revert.meta, notified: true }),
    );
  }
}

async function recordApproval(ctx: StepContext, pr: number, by: string): Promise<void> {
  const current = await ctx.env.target.getPullRequest(pr);
  const meta = current ? decodeState(current.body, ctx.env.logger, { pr }) : undefined;
  if (!current || meta?.kind !== "promotion" || meta.approvedBy) return;
  await ctx.env.target.updatePullRequestBody(
    pr,
    replaceState(current.body, { ...meta, approvedBy: by }),
  );
}

async function closeSuperseded(
  ctx: StepContext,
  action: Extract<Action, { type: "closeSuperseded" }>,
  older: RolloutState | undefined,
): Promise<void> {
  const { target } = ctx.env;
  const newer = ctx.opened.get(action.byRevision);
  const link = newer ? ` in [#${newer.number}](${newer.url})` : "";
  for (const pr of action.prs) {
    await target.comment(
      pr,
      `Superseded by the rollout of \`${shortRevision(action.byRevision)}\`${link}, which starts again at the first wave (revisions are cumulative).`,
      { once: { key: `superseded/${action.byRevision}`, by: ctx.env.appLogin } },
    );
    await target.closePullRequest(pr);
  }
  if (!older) return;
  const newest = [...older.waves].reverse().find((w) => !w.pr.labels.includes(LABEL_SUPERSEDED));
  if (newest) await target.setLabels(newest.pr.number, [LABEL_SUPERSEDED], []);
  await markSuperseded(ctx, older, action.byRevision);
}

/** Runs the actions in order; the rollouts are the state `decide` saw. */
export async function executeActions(
  ctx: StepContext,
  rollouts: readonly RolloutState[],
  actions: readonly Action[],
): Promise<void> {
  const byId = (id: string) => rollouts.find((r) => r.id === id);
  const current = rollouts.at(-1);
  const { target } = ctx.env;
  for (const action of actions) {
    ctx.report.actions.push(describe(action));
    switch (action.type) {
      case "openPromotionPr":
        try {
          await ensurePromotionPr(ctx, action.rollout, action.wave);
        } catch (error) {
          // A later wave's files cannot be bumped: the overall check says why, the next reconcile
          // tries again (someone may fix the file). A first wave's failure is the push's error.
          if (!(error instanceof RolloutStepError) || action.wave.index === 0) throw error;
          ctx.blocked = error.message;
          ctx.report.errors.push(error.message);
          ctx.env.logger.warn(
            { wave: action.wave.name, error: error.message },
            "promotion blocked",
          );
        }
        break;
      case "mergePr":
        await merge(ctx, action, current);
        break;
      case "setWaveCheck": {
        const rollout = byId(action.rolloutId);
        await setWaveCheck(ctx, action, rollout?.changedPaths ?? []);
        break;
      }
      case "openRevertPr": {
        const rollout = byId(action.rolloutId);
        if (rollout) await ensureRevertPr(ctx, rollout, action.failedWave, action.reason);
        break;
      }
      case "closeSuperseded":
        await closeSuperseded(ctx, action, byId(action.rolloutId));
        break;
      case "label":
        await target.setLabels(action.pr, action.add, action.remove);
        break;
      case "recordApproval":
        await recordApproval(ctx, action.pr, action.by);
        break;
      case "closePr":
        await target.comment(action.pr, `Closed: ${safeUserText(action.reason)}.`);
        await target.closePullRequest(action.pr);
        break;
      case "notifyHalted": {
        const rollout = byId(action.rolloutId);
        if (rollout) await notifyHalted(ctx, rollout);
        break;
      }
      case "queueRollout": {
        await queueRollout(ctx, action.push, action.behind);
        const first = rollouts.find((r) => r.revision === action.behind)?.waves[0];
        if (first) {
          const meta = { ...first.meta, queued: action.push };
          await target.updatePullRequestBody(first.pr.number, replaceState(first.pr.body, meta));
        }
        break;
      }
      case "done":
        break;
    }
  }
}
