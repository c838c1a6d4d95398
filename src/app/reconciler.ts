/**
 * Level-triggered reconcile: every repository with an active rollout is reconciled on a tick
 * (`WAVES_RECONCILE_INTERVAL`), and once at start-up for every repository GitHub shows rollout
 * PRs in (discovered from the app's installations). Work is keyed by the TARGET repository (where
 * a rollout's PRs live, `target.repository`): a webhook on the source and a tick on the GitOps repo
 * run one at a time through the same queue.
 */
import type { Probot, ProbotOctokit } from "probot";
import type { GitHubScm } from "../scm/github/github-scm.js";
import type { RepoRef } from "../scm/port.js";
import type { Logger } from "../util/logger.js";
import { redact } from "../util/redact.js";
import type { AppMetrics } from "./app-metrics.js";
import { RepoQueue } from "./repo-queue.js";
import type { EventHints } from "./resolve-repos.js";
import { sameRepo, sourceOfState } from "./resolve-repos.js";
import type { RolloutEngine } from "./rollout-engine.js";

export interface TrackedRepo extends RepoRef {
  installationId: number;
  /** For a tracked target: the rollout's source repository when it is another one. */
  source?: RepoRef;
}

/** An event's environment: the engine's env and the two adapters it was built from. */
export interface ResolvedEnv<Env> {
  env: Env;
  source: GitHubScm;
  target: GitHubScm;
  /** The target's default branch, when it is another repository and was read. */
  targetDefaultBranch?: string;
}

/** Thrown when an event's repositories cannot be used (the reason is already reported). */
export class RepoResolutionError extends Error {}

export interface ReconcilerOptions<Env> {
  app: Pick<Probot, "auth">;
  engine: RolloutEngine<Env>;
  /**
   * Resolves source and target for an event from `repo` (see `resolve-repos.ts`) and builds the
   * engine's env; `knownSource` is what this process remembers for `repo` as a target.
   */
  makeEnv(
    octokit: ProbotOctokit,
    repo: RepoRef,
    logger: Logger,
    hints: EventHints,
    knownSource?: RepoRef,
  ): Promise<ResolvedEnv<Env> | { error: string }>;
  logger: Logger;
  intervalMs: number;
  metrics?: AppMetrics;
  /** Labels that mark rollout PRs, for discovery at start-up. */
  labels?: string[];
  /** How far back discovery looks at closed rollout PRs (a wave may be baking after its merge). */
  discoveryDays?: number;
  clock?: () => Date;
}

/** `owner/name`, lower-cased: the key of a repository's queue, tracking and retries. */
export const repoKey = (repo: RepoRef) => `${repo.owner}/${repo.name}`.toLowerCase();

/** Attempts of a failed event's work before giving up (the failure stays visible in GitHub). */
export const MAX_RETRY_ATTEMPTS = 8;
/** The longest wait between two attempts, in reconcile intervals. */
const MAX_BACKOFF_INTERVALS = 32;
/** Retries kept at once; beyond it the oldest is dropped (its failing check stays visible). */
export const MAX_PENDING_RETRIES = 1_000;

type Work<Env> = (env: Env, resolved: ResolvedEnv<Env>) => Promise<unknown>;

interface PendingRetry<Env> {
  repo: TrackedRepo;
  work: Work<Env>;
  /** What is retried, for the log (`push abc1234`). */
  label: string;
  /** Failed attempts so far, the event's own included. */
  attempts: number;
  dueAt: number;
}

export class Reconciler<Env> {
  readonly queue = new RepoQueue();
  private readonly tracked = new Map<string, TrackedRepo>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private discovered = false;
  /**
   * Event work that failed and that nothing in GitHub would bring back on a tick: a push whose
   * rollout could not start has no PR for the reconcile to find. Kept in memory only: after a
   * restart, re-running the failing `waves / rollout` check on the commit starts it again.
   */
  private readonly retries = new Map<string, PendingRetry<Env>>();

  constructor(private readonly options: ReconcilerOptions<Env>) {}

  get activeCount(): number {
    return this.tracked.size;
  }

  trackedRepos(): TrackedRepo[] {
    return [...this.tracked.values()];
  }

  track(repo: TrackedRepo): void {
    this.tracked.set(repoKey(repo), repo);
  }

  untrack(repo: RepoRef): void {
    this.tracked.delete(repoKey(repo));
  }

  /**
   * Runs engine work for an event from `repo`: resolves its source and target, then runs through
   * the TARGET's queue (where the rollout's PRs live: one key per rollout, whichever repo the
   * event came from), marking the target tracked so the tick finishes what is left unfinished.
   */
  async run<T>(
    repo: TrackedRepo,
    octokit: ProbotOctokit,
    logger: Logger,
    work: (env: Env, resolved: ResolvedEnv<Env>) => Promise<T>,
    hints: EventHints = {},
  ): Promise<T> {
    const known = this.tracked.get(repoKey(repo))?.source ?? repo.source;
    const resolved = await this.options.makeEnv(octokit, repo, logger, hints, known);
    if ("error" in resolved) throw new RepoResolutionError(resolved.error);
    const { source: from, target: to } = resolved;
    const target: TrackedRepo = {
      owner: to.repo.owner,
      name: to.repo.name,
      installationId: repo.installationId,
      ...(sameRepo(from.repo, to.repo)
        ? {}
        : { source: { owner: from.repo.owner, name: from.repo.name } }),
    };
    this.track(target);
    return this.queue.run(repoKey(target), () => work(resolved.env, resolved));
  }

  /** One reconcile of one tracked target; untracks it when its rollout is no longer active. */
  async reconcile(repo: TrackedRepo, octokit?: ProbotOctokit): Promise<boolean> {
    const log = this.options.logger;
    try {
      const client = octokit ?? (await this.options.app.auth(repo.installationId));
      let target: RepoRef = repo;
      const report = await this.run(repo, client, log, (env, resolved) => {
        target = resolved.target.repo;
        return this.options.engine.reconcile(env);
      });
      this.options.metrics?.observeReport(report);
      if (!report.active) this.untrack(target);
      return report.active;
    } catch (error) {
      log.warn(
        { repo: repoKey(repo), error: redact(String(error)) },
        "reconcile failed; retrying on the next tick",
      );
      return true;
    }
  }

  /**
   * Runs `work` again on later ticks after it failed for an event (`key` names it: the same key
   * scheduled twice is one retry). The wait doubles from one interval, up to
   * {@link MAX_BACKOFF_INTERVALS}; after {@link MAX_RETRY_ATTEMPTS} failures it is dropped with
   * a warning.
   */
  retryLater(key: string, repo: TrackedRepo, work: Work<Env>, label: string): void {
    const known = this.retries.get(key);
    const attempts = (known?.attempts ?? 0) + 1;
    if (attempts >= MAX_RETRY_ATTEMPTS) {
      this.retries.delete(key);
      this.options.logger.warn(
        { repo: repoKey(repo), work: label, attempts },
        "giving up retrying; re-run the failing waves / rollout check to try again",
      );
      return;
    }
    const wait = this.options.intervalMs * Math.min(2 ** (attempts - 1), MAX_BACKOFF_INTERVALS);
    this.retries.delete(key);
    this.retries.set(key, { repo, work, label, attempts, dueAt: this.now() + wait });
    if (this.retries.size > MAX_PENDING_RETRIES) {
      const [oldestKey, oldest] = this.retries.entries().next().value as [
        string,
        PendingRetry<Env>,
      ];
      this.retries.delete(oldestKey);
      this.options.logger.warn(
        { repo: repoKey(oldest.repo), work: oldest.label },
        "too many retries waiting: dropped the oldest; re-run its failing waves / rollout check",
      );
    }
  }

  /** Retries waiting for their turn (for the metrics and tests). */
  get pendingRetries(): number {
    return this.retries.size;
  }

  private now(): number {
    return (this.options.clock?.() ?? new Date()).getTime();
  }

  /** The retries that are due, each once; a failure schedules the next attempt. */
  private async runDueRetries(): Promise<void> {
    const now = this.now();
    const due = [...this.retries].filter(([, retry]) => retry.dueAt <= now);
    await Promise.all(
      due.map(async ([key, retry]) => {
        const log = this.options.logger;
        try {
          const client = await this.options.app.auth(retry.repo.installationId);
          await this.run(retry.repo, client, log, retry.work);
          this.retries.delete(key);
          log.info({ repo: repoKey(retry.repo), work: retry.label }, "retry succeeded");
        } catch (error) {
          if (error instanceof RepoResolutionError) {
            // Already reported where the user sees it (a failing check); no point retrying.
            this.retries.delete(key);
            return;
          }
          log.warn(
            {
              repo: repoKey(retry.repo),
              work: retry.label,
              attempt: retry.attempts + 1,
              error: redact(String(error)),
            },
            "retry failed",
          );
          this.retryLater(key, retry.repo, retry.work, retry.label);
        }
      }),
    );
  }

  /** Reconciles every tracked repository (one tick), then due retries. Overlaps are skipped. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        // Discovery failed at start-up (GitHub unreachable): try again before reconciling.
        if (!this.discovered) await this.discover().catch(() => undefined);
        await Promise.all(this.trackedRepos().map((repo) => this.reconcile(repo)));
        await this.runDueRetries();
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  /** Finds repositories with rollout PRs in every installation and reconciles each once. */
  async discover(): Promise<TrackedRepo[]> {
    const { app, logger } = this.options;
    const labels = this.options.labels ?? ["waves:promotion", "waves:revert"];
    const days = this.options.discoveryDays ?? 14;
    const now = this.options.clock?.() ?? new Date();
    const since = new Date(now.getTime() - days * 86_400_000).toISOString();
    const appOctokit = await app.auth();
    const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, {
      per_page: 100,
    });
    const found: TrackedRepo[] = [];
    for (const installation of installations) {
      const octokit = await app.auth(installation.id);
      const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      for (const repository of repos) {
        const repo: TrackedRepo = {
          owner: repository.owner.login,
          name: repository.name,
          installationId: installation.id,
        };
        for (const label of labels) {
          const { data } = await octokit.rest.issues.listForRepo({
            owner: repo.owner,
            repo: repo.name,
            labels: label,
            state: "all",
            since,
            per_page: 1,
          });
          const [newest] = data;
          if (newest) {
            // Rollout PRs here may ship another repository's change: their state names it.
            const source = sourceOfState(newest.body ?? undefined);
            found.push(source ? { ...repo, source } : repo);
            break;
          }
        }
      }
    }
    this.discovered = true;
    logger.info({ repos: found.map(repoKey) }, "rollout repositories discovered");
    for (const repo of found) this.track(repo);
    await Promise.all(found.map((repo) => this.reconcile(repo)));
    return found;
  }

  /** Discovery, then a tick every `intervalMs` (the timer does not keep the process alive). */
  start(): void {
    this.stopped = false;
    void this.discover()
      .catch((error: unknown) =>
        this.options.logger.warn({ error: redact(String(error)) }, "rollout discovery failed"),
      )
      .finally(() => {
        if (this.stopped) return;
        this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
        this.timer.unref();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.queue.idle();
  }
}
