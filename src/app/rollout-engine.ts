/**
 * The rollout engine's entry points as the app calls them (implemented by `src/rollout`). The
 * app only translates webhooks and ticks into these calls; every decision is the engine's.
 * Generic in the environment so the app does not depend on how the engine's env is built.
 */
export interface PushInput {
  revision: string;
  branch: string;
  defaultBranch: string;
  changedPaths: string[];
  pusher: string;
  headCommitMessage?: string;
}

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

export interface RolloutEngine<Env> {
  handlePush(env: Env, input: PushInput): Promise<unknown>;
  handleComment(env: Env, input: CommentInput): Promise<unknown>;
  handleCheckRunEvent(env: Env, input: CheckRunInput): Promise<unknown>;
  reconcile(env: Env): Promise<{ active: boolean }>;
}
