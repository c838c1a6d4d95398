/**
 * Webhooks → engine calls. Translation only: which events matter and what they carry; the
 * engine decides what to do. Every call for a repository runs through its reconcile queue.
 */
import type { Context, Probot } from "probot";
import type { GitHubScm } from "../scm/github/github-scm.js";
import type { Logger } from "../util/logger.js";
import { redact } from "../util/redact.js";
import type { AppMetrics } from "./app-metrics.js";
import {
  type Reconciler,
  RepoResolutionError,
  type ResolvedEnv,
  repoKey,
  type TrackedRepo,
} from "./reconciler.js";
import { type EventHints, sameRepo } from "./resolve-repos.js";
import type { RolloutEngine } from "./rollout-engine.js";

export interface HandlerDeps<Env> {
  engine: RolloutEngine<Env>;
  reconciler: Reconciler<Env>;
  /** The app's own login, `<slug>[bot]`: its pushes and comments are not user actions. */
  appLogin(): Promise<string>;
  metrics?: AppMetrics;
}

type RepoPayload = {
  repository: {
    name: string;
    owner: { login?: string; name?: string | null } | null;
    default_branch?: string;
  };
  installation?: { id: number } | null;
};

function trackedRepo(payload: RepoPayload): TrackedRepo | undefined {
  const owner = payload.repository.owner?.login ?? payload.repository.owner?.name;
  if (!payload.installation || !owner) return undefined;
  return {
    owner,
    name: payload.repository.name,
    installationId: payload.installation.id,
  };
}

/** Paths a push touched, from its commits (GitHub lists at most 20 commits per push event). */
export function changedPathsOf(
  commits: { added?: string[]; modified?: string[]; removed?: string[] }[],
): string[] {
  const paths = new Set<string>();
  for (const commit of commits) {
    for (const path of [
      ...(commit.added ?? []),
      ...(commit.modified ?? []),
      ...(commit.removed ?? []),
    ]) {
      paths.add(path);
    }
  }
  return [...paths].sort();
}

/** GitHub lists at most 20 commits per push event (and may truncate that list). */
export const PUSH_COMMITS_LISTED = 20;

type PushPayload = {
  before?: string;
  after: string;
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
};

/** Whether the payload's commits cannot be trusted to list every changed path. */
export function needsGitDiff(push: PushPayload): boolean {
  return (
    (push.commits?.length ?? 0) >= PUSH_COMMITS_LISTED || !push.before || /^0+$/.test(push.before)
  );
}

/**
 * The paths a push changed: from its payload when complete, else from git (`before..after`, or
 * the head commit's own changes for a new branch). The payload is the fallback if git fails.
 */
export async function pushedPaths(
  push: PushPayload,
  source: Pick<GitHubScm, "changedPaths">,
  logger: Logger,
): Promise<string[]> {
  const listed = changedPathsOf(push.commits ?? []);
  if (!needsGitDiff(push)) return listed;
  const before = push.before && !/^0+$/.test(push.before) ? push.before : undefined;
  try {
    const paths = await source.changedPaths(before, push.after);
    if (paths) return [...new Set([...paths, ...listed])].sort();
  } catch (error) {
    logger.warn(
      { after: push.after, error: redact(String(error)) },
      "could not diff the push in git; using the paths the payload lists",
    );
  }
  return listed;
}

export function registerHandlers<Env>(app: Probot, deps: HandlerDeps<Env>): void {
  const { engine, reconciler, metrics } = deps;

  /**
   * Runs one engine call for the event's repository. A failure is left to the next tick, which
   * reads GitHub again; work that leaves nothing there to find (`retryKey` set, e.g. the pushed
   * sha, unique within the repository: a push whose
   * rollout could not start) is retried by the reconciler with a backoff instead.
   */
  const dispatch = async (
    event: string,
    context: Context,
    payload: RepoPayload,
    work: (env: Env, resolved: ResolvedEnv<Env>) => Promise<unknown>,
    hints: EventHints = {},
    retryKey?: string,
  ): Promise<void> => {
    const repo = trackedRepo(payload);
    if (!repo) return;
    const log = context.log as unknown as Logger;
    const defaultBranch = payload.repository.default_branch;
    try {
      const result = await reconciler.run(repo, context.octokit, log, work, {
        ...(defaultBranch ? { defaultBranch } : {}),
        ...hints,
      });
      metrics?.observeReport(result);
      metrics?.webhookEvents.inc({ event, outcome: "handled" });
    } catch (error) {
      metrics?.webhookEvents.inc({ event, outcome: "error" });
      const retried = retryKey !== undefined && !(error instanceof RepoResolutionError);
      log.error(
        { event, delivery: context.id, error: redact(String(error)) },
        retried
          ? "webhook handling failed; retrying it on the coming ticks"
          : "webhook handling failed; the reconcile tick will retry",
      );
      if (retried) {
        const key = `${repoKey(repo)}@${retryKey}`;
        reconciler.retryLater(key, repo, work, `${event} ${key}`);
      }
    }
  };
  const skipped = (event: string, reason: string, context: Context) => {
    metrics?.webhookEvents.inc({ event, outcome: "skipped" });
    (context.log as unknown as Logger).debug({ event, reason, delivery: context.id }, "skipped");
  };

  app.on("push", async (context) => {
    const p = context.payload;
    if (!p.ref.startsWith("refs/heads/")) return skipped("push", "not a branch", context);
    if (p.deleted || /^0+$/.test(p.after)) return skipped("push", "branch deleted", context);
    const appLogin = await deps.appLogin();
    if (p.sender?.login === appLogin || p.pusher.name === appLogin) {
      return skipped("push", "pushed by the app", context);
    }
    const branch = p.ref.slice("refs/heads/".length);
    await dispatch(
      "push",
      context,
      p,
      (env, resolved) =>
        engine.handlePush(env, {
          revision: p.after,
          branch,
          defaultBranch: p.repository.default_branch ?? "main",
          changedPaths: changedPathsOf(p.commits ?? []),
          ...(needsGitDiff(p)
            ? {
                completeChangedPaths: () =>
                  pushedPaths(p, resolved.source, context.log as unknown as Logger),
              }
            : {}),
          pusher: p.sender?.login ?? p.pusher.name,
          ...(p.head_commit?.message ? { headCommitMessage: p.head_commit.message } : {}),
          ...(resolved.targetDefaultBranch
            ? { targetDefaultBranch: resolved.targetDefaultBranch }
            : {}),
        }),
      { sha: p.after },
      p.after,
    );
  });

  app.on(
    ["issue_comment.created", "issue_comment.edited", "issue_comment.deleted"],
    async (context) => {
      const p = context.payload;
      if (!p.issue.pull_request) return skipped("issue_comment", "not a pull request", context);
      const repo = trackedRepo(p);
      if (!repo) return;
      const appLogin = await deps.appLogin();
      await dispatch(
        "issue_comment",
        context,
        p,
        async (env, resolved) => {
          // Commands live on rollout PRs, in the target: a PR of a source whose rollouts go to
          // another repository holds none (and its number names another PR there).
          if (!sameRepo(resolved.target.repo, repo)) return undefined;
          return engine.handleComment(env, {
            prNumber: p.issue.number,
            commentId: p.comment.id,
            body: p.comment.body ?? "",
            author: p.comment.user?.login ?? "ghost",
            authorIsBot: p.comment.user?.type === "Bot" || p.comment.user?.login === appLogin,
            action: p.action,
          });
        },
        { prBody: p.issue.body ?? "" },
      );
    },
  );

  app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => {
    const p = context.payload;
    const identifier = p.action === "requested_action" ? p.requested_action?.identifier : undefined;
    await dispatch("check_run", context, p, (env) =>
      engine.handleCheckRunEvent(env, {
        name: p.check_run.name,
        headSha: p.check_run.head_sha,
        action: p.action,
        ...(identifier ? { identifier } : {}),
        actor: p.sender.login,
      }),
    );
  });

  const reconcileOn = (event: string) => async (context: Context) => {
    const payload = context.payload as RepoPayload;
    await dispatch(event, context, payload, (env) => engine.reconcile(env));
  };
  app.on("pull_request.closed", async (context) => {
    const p = context.payload;
    await dispatch("pull_request", context, p, (env) => engine.reconcile(env), {
      prBody: p.pull_request.body ?? "",
    });
  });
  app.on("check_suite", reconcileOn("check_suite"));
  app.on("status", reconcileOn("status"));
}
