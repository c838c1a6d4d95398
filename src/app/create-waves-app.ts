/**
 * The Probot app function, assembled from its parts: webhook handlers, the reconcile loop and
 * the `/healthz` + `/metrics` routes. The engine and how its environment is built are passed in,
 * so tests drive the same wiring with doubles.
 */
import type { ApplicationFunction, Probot, ProbotOctokit } from "probot";
import type { OpenCheckout } from "../scm/github/git-checkout.js";
import { GitHubScm } from "../scm/github/github-scm.js";
import type { RepoRef } from "../scm/port.js";
import type { Logger } from "../util/logger.js";
import { AppMetrics } from "./app-metrics.js";
import { githubReachability } from "./github-reachability.js";
import { registerHandlers } from "./handlers.js";
import { Reconciler, type ResolvedEnv } from "./reconciler.js";
import { type EventHints, resolveRepos } from "./resolve-repos.js";
import type { RolloutEngine } from "./rollout-engine.js";
import { createRoutes } from "./routes.js";

export interface EnvParts {
  source: GitHubScm;
  target: GitHubScm;
  logger: Logger;
  appLogin: string;
}

export interface WavesAppOptions<Env> {
  engine: RolloutEngine<Env>;
  buildEnv(parts: EnvParts): Env;
  openCheckout: OpenCheckout;
  reconcileIntervalMs: number;
  /** The REST API base, for `/healthz`. */
  apiBaseUrl: string;
  /** Off in adapter tests, which drive ticks themselves. */
  startReconciler?: boolean;
  metrics?: AppMetrics;
  env?: { GHE_HOST?: string; GHE_PROTOCOL?: string };
  /** The reconciler's clock (retry backoff, discovery window); the wall clock by default. */
  clock?: () => Date;
  /** Receives the running parts (tests reach the reconciler through it). */
  onLoaded?(parts: { reconciler: Reconciler<Env>; metrics: AppMetrics }): void;
}

/** `<slug>[bot]`, asked once from GitHub (`GET /app`) and remembered; retried after a failure. */
function appLoginOf(app: Probot): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
    login ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GET /app returned no slug");
      return `${data.slug}[bot]`;
    })().catch((error: unknown) => {
      login = undefined;
      throw error;
    });
    return login;
  };
}

export function createWavesApp<Env>(options: WavesAppOptions<Env>): ApplicationFunction {
  return (app, { addHandler }) => {
    const metrics = options.metrics ?? new AppMetrics();
    const appLogin = appLoginOf(app);
    const makeEnv = async (
      octokit: ProbotOctokit,
      repo: RepoRef,
      logger: Logger,
      hints: EventHints,
      knownSource?: RepoRef,
    ): Promise<ResolvedEnv<Env> | { error: string }> => {
      // One installation octokit for both repositories: the app must be installed on both.
      const makeScm = (of: RepoRef) =>
        new GitHubScm({
          octokit,
          repo: of,
          openCheckout: options.openCheckout,
          logger,
          ...(options.env ? { env: options.env } : {}),
        });
      const resolved = await resolveRepos({
        octokit,
        repo,
        hints,
        makeScm,
        logger,
        ...(knownSource ? { knownSource } : {}),
      });
      if (!resolved.ok) return { error: resolved.reason };
      const { source, target } = resolved;
      return {
        env: options.buildEnv({ source, target, logger, appLogin: await appLogin() }),
        source,
        target,
        ...(resolved.targetDefaultBranch
          ? { targetDefaultBranch: resolved.targetDefaultBranch }
          : {}),
      };
    };
    const reconciler = new Reconciler<Env>({
      app,
      engine: options.engine,
      makeEnv,
      logger: app.log as unknown as Logger,
      intervalMs: options.reconcileIntervalMs,
      metrics,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    registerHandlers(app, { engine: options.engine, reconciler, appLogin, metrics });
    addHandler(
      createRoutes({
        metrics,
        githubReachable: githubReachability({ apiBaseUrl: options.apiBaseUrl }),
        activeRollouts: () => reconciler.activeCount,
        pendingRetries: () => reconciler.pendingRetries,
      }),
    );
    options.onLoaded?.({ reconciler, metrics });
    if (options.startReconciler !== false) reconciler.start();
  };
}
