/** gate step: evaluates the gating wave of the newest rollout once per run, clock from its check. */
import type { GateOutcome } from "../../health/types.js";
import { redact } from "../../util/redact.js";
import { planOf } from "../decide.js";
import { rolloutPhase } from "../rollout-phase.js";
import type { RolloutState } from "../types.js";
import type { StepContext } from "./context.js";

export async function evaluateGate(
  ctx: StepContext,
  rollout: RolloutState,
): Promise<{ wave: string; outcome: GateOutcome } | undefined> {
  const plan = planOf(ctx.config, rollout);
  const phase = rolloutPhase(rollout, plan);
  if (phase.kind !== "gating") return undefined;
  const state = phase.wave;
  const key = `${rollout.revision}/${state.name}`;
  if (ctx.evaluated.has(key)) return undefined;
  ctx.evaluated.add(key);
  const wave = plan[state.index];
  if (!wave) return undefined;
  const { env } = ctx;
  try {
    const outcome = await env.healthGate(ctx.config)({
      wave,
      revision: rollout.revision,
      ...(state.pr.mergeCommitSha ? { mergeCommitSha: state.pr.mergeCommitSha } : {}),
      ...(state.pr.mergedAt ? { mergedAt: state.pr.mergedAt } : {}),
      ...(state.clock ? { clock: state.clock } : {}),
      now: env.now(),
      isAncestor: (a, b) => env.target.isAncestor(a, b),
    });
    ctx.report.verdicts.push(outcome.status);
    return { wave: state.name, outcome };
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error));
    env.logger.warn({ wave: state.name, error: message }, "health gate evaluation failed");
    ctx.report.errors.push(`gate ${state.name}: ${message}`);
    return undefined;
  }
}
