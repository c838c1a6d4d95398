/**
 * The rollout engine's entry points as the app calls them (implemented by `src/rollout`). The
 * app only translates webhooks and ticks into these calls; every decision is the engine's.
 * Generic in the environment so the app does not depend on how the engine's env is built.
 */
import type { CheckRunInput, CommentInput, PushInput } from "../rollout/index.js";

export type { CheckRunInput, CommentInput, PushInput };

export interface RolloutEngine<Env> {
  handlePush(env: Env, input: PushInput): Promise<unknown>;
  handleComment(env: Env, input: CommentInput): Promise<unknown>;
  handleCheckRunEvent(env: Env, input: CheckRunInput): Promise<unknown>;
  reconcile(env: Env): Promise<{ active: boolean }>;
}
