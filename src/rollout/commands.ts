/**
 * Comment commands and check-run buttons: parse strictly, find the rollout the PR belongs to,
 * authorise, apply, then react 👍 (or 👎 with a reply saying why). Edited and deleted comments,
 * and anything a bot says, change nothing.
 */
import { noMentions, safeUserText } from "../util/redact.js";
import { authorize } from "./authorize.js";
import { planOf } from "./decide.js";
import { decideCommand } from "./decide-command.js";
import { deriveState } from "./derive-state.js";
import { newContext, restartFromRolloutCheck, runRounds } from "./engine.js";
import { type ParsedCommand, parseCommand } from "./parse-command.js";
import { decodeState } from "./state-codec.js";
import type { ReconcileReport, RolloutEnv } from "./steps/context.js";
import { executeActions } from "./steps/execute-actions.js";
import { readRolloutConfig } from "./steps/load-config-step.js";
import { ROLLOUT_CHECK, shortRevision, waveCheckName } from "./types.js";

export interface CommentInput {
  prNumber: number;
  commentId: number;
  body: string;
  author: string;
  authorIsBot: boolean;
  action: "created" | "edited" | "deleted";
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  action: "rerequested" | "requested_action";
  identifier?: string;
  actor: string;
}

export type CommandOutcome = Partial<ReconcileReport> & {
  status: "accepted" | "refused" | "ignored";
  reason: string;
  command?: ParsedCommand;
};

interface Request {
  command: ParsedCommand;
  actor: string;
  actorIsBot: boolean;
  /** A PR of the rollout (comment) or a wave PR's head commit (check-run button). */
  where: { pr: number } | { headSha: string };
}

/** Finds the rollout, authorises and applies; replies are left to the caller. */
async function apply(env: RolloutEnv, request: Request): Promise<CommandOutcome & { pr?: number }> {
  const { command } = request;
  const refused = (reason: string, pr?: number) => ({
    status: "refused" as const,
    reason,
    command,
    ...(pr ? { pr } : {}),
  });
  const rollouts = await deriveState(env.target, env.source, env.logger);
  let revision: string | undefined;
  let pr: number | undefined;
  if ("pr" in request.where) {
    pr = request.where.pr;
    const found = rollouts
      .flatMap((r) => [...r.waves.map((w) => w.pr), ...(r.revert ? [r.revert.pr] : [])])
      .find((p) => p.number === pr);
    const meta = decodeState(
      found?.body ?? (await env.target.getPullRequest(pr))?.body,
      env.logger,
      { pr },
    );
    revision = meta?.revision;
  } else {
    const { headSha } = request.where;
    const rollout = rollouts.find((r) => r.waves.some((w) => w.pr.headSha === headSha));
    revision = rollout?.revision;
    pr = rollout?.waves.find((w) => w.pr.headSha === headSha)?.pr.number;
  }
  if (!revision) return { status: "ignored", reason: "not a rollout pull request", command };
  const current = rollouts.at(-1);
  if (!current || current.revision !== revision) {
    return refused(
      `this rollout was superseded by the rollout of ${current ? shortRevision(current.revision) : "a newer change"}: comment on its PRs instead`,
      pr,
    );
  }
  const loaded = await readRolloutConfig(env, current.source.branch);
  if (!loaded.ok) return refused(`the configuration cannot be used: ${loaded.reason}`, pr);
  const plan = planOf(loaded.config, current);
  const wave = command.wave ? plan.find((w) => w.name === command.wave) : undefined;
  if (command.wave && !wave) {
    return refused(
      `there is no wave named "${command.wave}" in this rollout (waves: ${plan.map((w) => w.name).join(", ")})`,
      pr,
    );
  }
  // Commands merge and close PRs of the GitOps repository: permission there is what counts.
  const auth = await authorize(env.target, {
    actor: request.actor,
    actorIsBot: request.actorIsBot,
    appLogin: env.appLogin,
    command: command.name,
    ...(wave ? { wave } : {}),
    waves: plan,
    changeAuthor: current.source.author,
  });
  if (!auth.ok) return refused(auth.reason, pr);
  const decision = decideCommand(current, { ...command, actor: request.actor }, plan, env.now());
  if (!decision.ok) return refused(decision.reason, pr);
  const ctx = newContext(env, loaded.config, current.source.branch);
  await executeActions(ctx, rollouts, decision.actions);
  env.logger.info(
    { command: command.name, wave: command.wave, actor: request.actor, via: auth.via },
    "command accepted",
  );
  await runRounds(ctx);
  return {
    ...ctx.report,
    status: "accepted",
    reason: decision.note,
    command,
    ...(pr ? { pr } : {}),
  };
}

function describeCommand(command: ParsedCommand): string {
  return `/${command.name}${command.wave ? ` ${command.wave}` : ""}`;
}

export async function handleComment(env: RolloutEnv, c: CommentInput): Promise<CommandOutcome> {
  if (c.action !== "created")
    return { status: "ignored", reason: "edited or deleted comments change nothing" };
  const command = parseCommand(c.body);
  if (!command) return { status: "ignored", reason: "not a command" };
  // Never answer a bot (and never the app itself): no loops, no bot approvals.
  if (c.authorIsBot || c.author === env.appLogin) {
    return { status: "ignored", reason: "bots cannot run rollout commands", command };
  }
  const outcome = await apply(env, {
    command,
    actor: c.author,
    actorIsBot: c.authorIsBot,
    where: { pr: c.prNumber },
  });
  if (outcome.status === "accepted") await env.target.react(c.commentId, "+1");
  if (outcome.status === "refused") {
    await env.target.react(c.commentId, "-1");
    await env.target.comment(
      c.prNumber,
      noMentions(
        `\`${describeCommand(command)}\` refused for ${safeUserText(c.author)}: ${safeUserText(outcome.reason)}`,
      ),
      // A comment delivered twice gets one reply.
      { once: { key: `reply/${c.commentId}`, by: env.appLogin } },
    );
  }
  return outcome;
}

/** "Approve" buttons (`approve:<wave>`) and re-run requests (a `/retry` of that wave). */
export async function handleCheckRunEvent(
  env: RolloutEnv,
  e: CheckRunInput,
): Promise<CommandOutcome> {
  let command: ParsedCommand | undefined;
  if (e.action === "requested_action" && e.identifier?.startsWith("approve:")) {
    command = { name: "approve", wave: e.identifier.slice("approve:".length) };
  } else if (
    e.action === "rerequested" &&
    e.name.startsWith("waves / ") &&
    e.name !== "waves / rollout" &&
    e.name !== "waves / config"
  ) {
    command = { name: "retry", wave: e.name.slice("waves / ".length) };
  }
  if (!command && e.action === "rerequested" && e.name === ROLLOUT_CHECK) {
    const report = await restartFromRolloutCheck(env, e.headSha);
    return { ...report, status: "accepted", reason: "rollout check re-run" };
  }
  if (!command) return { status: "ignored", reason: "not a rollout check action" };
  if (e.actor === env.appLogin || e.actor.endsWith("[bot]")) {
    return { status: "ignored", reason: "bots cannot run rollout commands", command };
  }
  const outcome = await apply(env, {
    command,
    actor: e.actor,
    actorIsBot: false,
    where: { headSha: e.headSha },
  });
  if (outcome.status === "refused" && outcome.pr) {
    await env.target.comment(
      outcome.pr,
      noMentions(
        `${waveCheckName(command.wave ?? "")} "${command.name}" refused for ${safeUserText(e.actor)}: ${safeUserText(outcome.reason)}`,
      ),
    );
  }
  return outcome;
}
