/**
 * The rollout engine, as a list of steps: loadConfig → deriveState → gate → decide → execute
 * (ensurePromotionPr, merge, setWaveCheck, ensureRevertPr …) → setRolloutCheck. Level-triggered:
 * every entry point reads GitHub's truth again, so a restart or a repeated event is harmless.
 */
import { shouldStartRollout } from "../plan/trigger.js";
import { redact, safeUserText } from "../util/redact.js";
import { decide, planOf } from "./decide.js";
import { deriveState, readChecks } from "./derive-state.js";
import { isFinished, rolloutPhase } from "./rollout-phase.js";
import { decodeQueued, encodeQueued } from "./state-codec.js";
import { setRolloutCheck } from "./steps/check-steps.js";
import {
  emptyReport,
  type ReconcileReport,
  type RolloutEnv,
  type StepContext,
} from "./steps/context.js";
import { executeActions } from "./steps/execute-actions.js";
import { evaluateGate } from "./steps/gate-step.js";
import {
  readRolloutConfig,
  reportInvalidConfig,
  templateOverrides,
} from "./steps/load-config-step.js";
import {
  MERGE_MARKER,
  type Observations,
  type PushObservation,
  ROLLOUT_CHECK,
  type RolloutState,
} from "./types.js";

/** Rounds of decide → execute per run (merge, then gate, then open the next PR …). */
const MAX_ROUNDS = 8;

export interface PushInput {
  revision: string;
  branch: string;
  defaultBranch: string;
  changedPaths: string[];
  /**
   * When `changedPaths` may be incomplete (a push event lists at most 20 commits, a new branch
   * none before): the complete list, asked only for a push to the source branch.
   */
  completeChangedPaths?(): Promise<string[]>;
  pusher: string;
  headCommitMessage?: string;
  /** The target repository's default branch, when it is another repository. */
  targetDefaultBranch?: string;
}

export type PushOutcome = ReconcileReport & {
  status: "started" | "queued" | "ignored" | "invalid-config" | "exists";
  reason: string;
};

function newContext(env: RolloutEnv, config: StepContext["config"], ref: string): StepContext {
  return {
    env,
    config,
    overrides: templateOverrides(env, ref),
    report: emptyReport(),
    opened: new Map(),
    evaluated: new Set(),
  };
}

/** A change queued behind `current` (kept in its first wave's PR), once nothing else runs. */
function findQueued(current: RolloutState | undefined): PushObservation | undefined {
  return current?.waves[0]?.meta.queued;
}

/** Whether `revision` is an ancestor of (so shipped by) `newer`'s revision, and not the same. */
async function carriedBy(env: RolloutEnv, revision: string, newer: RolloutState): Promise<boolean> {
  if (newer.revision === revision) return false;
  return env.source.isAncestor(revision, newer.revision);
}

/**
 * Rounds of derive → gate → decide → execute until nothing is left to do, then the overall
 * check. `first` carries the event's observation (a push, a command) into the first round.
 */
async function run(
  ctx: StepContext,
  first: Observations = {},
  initial?: RolloutState[],
): Promise<RolloutState[]> {
  const { env } = ctx;
  let rollouts: RolloutState[] = [];
  let pending: Observations = first;
  let startedNewest: string | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    rollouts =
      round === 0 && initial ? initial : await deriveState(env.target, env.source, env.logger);
    if (round === 0) startedNewest = rollouts.at(-1)?.revision;
    const current = rollouts.at(-1);
    const obs: Observations = { ...pending };
    pending = {};
    if (obs.push && current && (await carriedBy(env, obs.push.revision, current))) {
      // Revisions are cumulative: the newer rollout ships this change too. Starting it now
      // would supersede (or queue behind) its own successor.
      ctx.report.includedIn = current.revision;
      delete obs.push;
    }
    if (!obs.push && !obs.command && current) {
      const gate = await evaluateGate(ctx, current);
      if (gate) obs.gate = gate;
      if (isFinished(rolloutPhase(current, planOf(ctx.config, current)))) {
        const queued = findQueued(current);
        if (queued) obs.queued = queued;
      }
    }
    const actions = decide(rollouts, obs, env.now(), ctx.config);
    if (round === 0 && obs.push) {
      const revision = obs.push.revision;
      ctx.report.started = actions.some(
        (a) => a.type === "openPromotionPr" && a.rollout.revision === revision,
      );
    }
    const work = actions.filter((a) => a.type !== "done");
    if (actions.some((a) => a.type === "done") && !ctx.report.actions.includes("done")) {
      ctx.report.actions.push("done");
    }
    if (work.length === 0) break;
    await executeActions(ctx, rollouts, work);
    if (ctx.blocked) break;
  }
  const newest = rollouts.at(-1);
  const previous = rollouts.find((r) => r.revision === startedNewest);
  if (previous && previous !== newest && !previous.superseded) {
    // It finished in this run and a queued change took over: its overall check says how it ended.
    await setRolloutCheck(ctx, await readChecks(previous, env.target, env.source, env.logger));
  }
  if (newest) {
    await setRolloutCheck(ctx, newest);
    const phase = rolloutPhase(newest, planOf(ctx.config, newest));
    ctx.report.revision = newest.revision;
    ctx.report.phase = phase.kind;
    const queued = findQueued(newest);
    ctx.report.active =
      !isFinished(phase) ||
      (queued !== undefined && !rollouts.some((r) => r.revision === queued.revision));
  }
  return rollouts;
}

function failed(ctx: StepContext, error: unknown): never {
  const message = redact(error instanceof Error ? error.message : String(error));
  ctx.report.errors.push(message);
  ctx.env.logger.error({ error: message }, "rollout step failed; the next reconcile retries");
  throw error;
}

/** `{ repository: "owner/name" }` when the source is not the repository holding the PRs. */
function sourceRepository(env: RolloutEnv): { repository?: string } {
  const { source, target } = env;
  const name = `${source.repo.owner}/${source.repo.name}`;
  return name.toLowerCase() === `${target.repo.owner}/${target.repo.name}`.toLowerCase()
    ? {}
    : { repository: name };
}

/** A push to some branch: starts (or queues) a rollout when it is a change to the source branch. */
export async function handlePush(env: RolloutEnv, push: PushInput): Promise<PushOutcome> {
  const ignored = (reason: string): PushOutcome => ({
    ...emptyReport(),
    status: "ignored",
    reason,
  });
  if (push.pusher === env.appLogin) return ignored("pushed by the app");
  if (push.headCommitMessage?.includes(MERGE_MARKER)) {
    return ignored("a promotion or revert merge made by the app");
  }
  const ref = push.branch === push.defaultBranch ? push.revision : push.defaultBranch;
  const loaded = await readRolloutConfig(env, ref);
  if (!loaded.ok) {
    if (loaded.missing) return ignored(loaded.reason);
    if (push.branch === push.defaultBranch)
      await reportInvalidConfig(env, push.revision, loaded.errors);
    env.logger.warn({ revision: push.revision, reason: loaded.reason }, "invalid configuration");
    return { ...emptyReport(), status: "invalid-config", reason: loaded.reason };
  }
  const config = loaded.config;
  const sourceBranch = config.source.branch ?? push.defaultBranch;
  if (push.branch !== sourceBranch)
    return ignored(`${push.branch} is not the source branch ${sourceBranch}`);
  const changedPaths = push.completeChangedPaths
    ? await push.completeChangedPaths()
    : push.changedPaths;
  const trigger = shouldStartRollout(config, changedPaths);
  if (!trigger.start) return ignored(trigger.reason);

  const ctx = newContext(env, config, ref);
  let observation: PushObservation | undefined;
  try {
    const change = await env.source.describeSourceChange(push.revision);
    observation = {
      revision: push.revision,
      source: {
        sha: push.revision,
        title: change.title,
        // A direct push has no pull request: its author is whoever pushed it.
        author: change.pullRequest ? change.author : push.pusher,
        url: change.url,
        ...(change.pullRequest ? { pullRequest: change.pullRequest } : {}),
        branch: sourceBranch,
        ...sourceRepository(env),
      },
      changedPaths,
      targetBranch: config.target.branch ?? push.targetDefaultBranch ?? push.defaultBranch,
    };
    await run(ctx, { push: observation });
    const queued = ctx.report.actions.some((a) => a.startsWith("queueRollout"));
    const started = ctx.report.started === true;
    const included = ctx.report.includedIn;
    return {
      ...ctx.report,
      active: ctx.report.active || queued,
      status: queued ? "queued" : started ? "started" : included ? "ignored" : "exists",
      reason: queued
        ? "queued behind the rollout in flight"
        : included && !started
          ? `already carried by the newer rollout of ${included.slice(0, 7)}`
          : trigger.reason,
    };
  } catch (error) {
    if (observation && !ctx.opened.has(push.revision))
      await markStartFailed(ctx, observation, error);
    return failed(ctx, error);
  }
}

/**
 * Nothing in GitHub remembers a push whose first PR could not be opened: say so on the change's
 * commit, with the push kept in the check, so re-running the check starts the rollout again.
 */
async function markStartFailed(
  ctx: StepContext,
  push: PushObservation,
  error: unknown,
): Promise<void> {
  const message = redact(error instanceof Error ? error.message : String(error));
  try {
    await ctx.env.source.setCheckRun({
      name: ROLLOUT_CHECK,
      headSha: push.revision,
      status: "completed",
      conclusion: "failure",
      externalId: `waves/${push.revision.slice(0, 7)}`,
      title: "The rollout could not start",
      summary: `${safeUserText(message)}\n\nRe-run this check to try again.`,
      text: encodeQueued(push),
    });
  } catch {
    // GitHub itself is failing: the error is logged by the caller.
  }
}

/** Re-run of `waves / rollout` on a change that could not start (or is queued): start it now. */
export async function restartFromRolloutCheck(
  env: RolloutEnv,
  headSha: string,
): Promise<ReconcileReport> {
  const check = await env.source.findCheckRun(ROLLOUT_CHECK, headSha);
  const push = decodeQueued(check?.text, env.logger);
  if (!push || push.revision !== headSha) return reconcile(env);
  const loaded = await readRolloutConfig(env, push.source.branch);
  if (!loaded.ok) return { ...emptyReport(), errors: [loaded.reason] };
  const ctx = newContext(env, loaded.config, push.source.branch);
  try {
    await run(ctx, { push });
    return ctx.report;
  } catch (error) {
    return failed(ctx, error);
  }
}

/** Reads the truth and moves the newest rollout on. */
export async function reconcile(env: RolloutEnv): Promise<ReconcileReport> {
  const rollouts = await deriveState(env.target, env.source, env.logger);
  const newest = rollouts.at(-1);
  if (!newest) return emptyReport();
  const loaded = await readRolloutConfig(env, newest.source.branch);
  if (!loaded.ok) {
    env.logger.warn({ reason: loaded.reason }, "cannot reconcile: configuration unusable");
    return { ...emptyReport(), active: !loaded.missing, errors: [loaded.reason] };
  }
  const ctx = newContext(env, loaded.config, newest.source.branch);
  try {
    await run(ctx, {}, rollouts);
    return ctx.report;
  } catch (error) {
    return failed(ctx, error);
  }
}

export { newContext, run as runRounds };
