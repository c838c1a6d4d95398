/**
 * The SCM port: everything the rollout needs from where pull requests live, named for intent.
 * Implemented by `scm/github` (Octokit) and `scm/local` (a local git repository, for the demo).
 * Adapters never decide: no policy here, only faithful reads and idempotent writes.
 */
import type { FileChange } from "../gitops/types.js";

export interface RepoRef {
  owner: string;
  name: string;
}

export type PullRequestState = "open" | "closed" | "merged";

export interface PullRequest {
  number: number;
  url: string;
  state: PullRequestState;
  title: string;
  body: string;
  /** Head branch name. */
  branch: string;
  /** Base branch name. */
  base: string;
  headSha: string;
  /** Set once merged. */
  mergeCommitSha?: string;
  /** ISO-8601, set once merged. */
  mergedAt?: string;
  /** ISO-8601. */
  createdAt: string;
  labels: string[];
  author: string;
}

/** A pull request to open (or adopt, when one is already open for the branch). */
export interface PullRequestSpec {
  branch: string;
  base: string;
  title: string;
  body: string;
  labels: string[];
  /** The one commit the branch carries on top of `base`: these files, this message. */
  commit: { message: string; changes: FileChange[]; baseSha?: string };
}

/** Why a merge did or did not happen (typed outcome, not a boolean). */
export type MergeOutcome =
  | { status: "merged"; sha: string }
  | { status: "already-merged"; sha: string }
  /** Branch protection, required reviews or checks: retry on the next event or tick. */
  | { status: "blocked"; reason: string }
  /** The head moved since it was read: re-read and decide again. */
  | { status: "head-moved"; reason: string }
  | { status: "conflict"; reason: string };

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "timed_out"
  | "action_required"
  | "skipped";

export interface CheckRunAction {
  /** Button text, at most 20 characters. */
  label: string;
  /** At most 40 characters; comes back in `check_run.requested_action`. */
  identifier: string;
  /** At most 40 characters. */
  description: string;
}

export interface CheckRunSpec {
  /** `waves / <wave>`, `waves / rollout`, `waves / config`. */
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion?: CheckConclusion;
  /** Identifies the rollout and wave, so runs are found again after a restart. */
  externalId: string;
  title: string;
  summary: string;
  text?: string;
  detailsUrl?: string;
  actions?: CheckRunAction[];
  annotations?: CheckAnnotation[];
}

export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion?: CheckConclusion;
  externalId?: string;
  title?: string;
  summary?: string;
  text?: string;
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export type Reaction = "+1" | "-1" | "eyes";

/** The pull request a source commit was merged through, if any. */
export interface SourceChange {
  sha: string;
  title: string;
  /** Who wrote the change: the merged PR's author, or the pusher for a direct push. */
  author: string;
  url: string;
  pullRequest?: number;
}

export interface CommentOptions {
  once?: {
    /** What the comment is about, e.g. `halted/<rollout>`; the same key is posted once. */
    key: string;
    /** Only this author's comments count (a user cannot silence the app by quoting the marker). */
    by: string;
  };
}

/** The hidden line a `once` comment carries. */
export function onceMarker(key: string): string {
  return `<!-- waves:once ${JSON.stringify(key)} -->`;
}

/**
 * The text to post for `body` given the comments already on the PR: undefined when a `once`
 * comment with the same key was posted by `once.by` (logins compared case-insensitively).
 */
export function commentText(
  body: string,
  options: CommentOptions,
  existing: () => readonly { author: string | undefined; body: string }[],
): string | undefined {
  if (!options.once) return body;
  const marker = onceMarker(options.once.key);
  const by = options.once.by.toLowerCase();
  const said = existing().some((c) => c.author?.toLowerCase() === by && c.body.includes(marker));
  return said ? undefined : `${body}\n\n${marker}`;
}

export interface ScmPort {
  /** The target repository (where promotion PRs are opened). */
  readonly repo: RepoRef;

  /** Open PRs and those closed in the last `sinceDays` days carrying any of these labels. */
  findRolloutPrs(labels: string[], sinceDays?: number): Promise<PullRequest[]>;
  getPullRequest(number: number): Promise<PullRequest | undefined>;
  /** Idempotent: adopts the open PR of `spec.branch` if there is one, else pushes and opens it. */
  ensurePullRequest(spec: PullRequestSpec): Promise<PullRequest>;
  /** Merges only if the head is still `expectedHeadSha`. */
  mergePullRequest(number: number, expectedHeadSha: string, message: string): Promise<MergeOutcome>;
  closePullRequest(number: number): Promise<void>;
  updatePullRequestBody(number: number, body: string): Promise<void>;
  setLabels(number: number, add: string[], remove: string[]): Promise<void>;
  /**
   * Posts a comment. With `once`, posts it only if `once.by` has not already posted one carrying
   * the same key (kept in a hidden marker), so a step repeated after a crash says it once.
   */
  comment(number: number, body: string, options?: CommentOptions): Promise<void>;
  react(commentId: number, reaction: Reaction): Promise<void>;

  findCheckRun(name: string, headSha: string): Promise<CheckRun | undefined>;
  /**
   * Creates the run, or updates the one with the same name on the same commit. A completed run
   * cannot be reopened on GitHub: when the existing run is completed and `spec` is not, a new
   * run is created (and `findCheckRun` returns the newest).
   */
  setCheckRun(spec: CheckRunSpec): Promise<CheckRun>;

  /** The user's permission on the repository that receives the commands. */
  permission(login: string): Promise<Permission>;
  isTeamMember(team: string, login: string): Promise<boolean>;

  /** A file at a ref of the target repository, or undefined when absent. */
  readFile(ref: string, path: string): Promise<string | undefined>;
  /**
   * Many files at one ref, where the adapter can batch them (one git process instead of one per
   * file); optional: callers fall back to `readFile` per path. Absent files map to undefined.
   */
  readFiles?(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>>;
  /** The target branch's head commit. */
  branchHead(branch: string): Promise<string>;
  /** Whether `ancestor` is `descendant` or one of its ancestors in the target repository. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** What a source commit was, for PR bodies and self-approval. */
  describeSourceChange(sha: string): Promise<SourceChange>;
}
