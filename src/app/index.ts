/**
 * The Probot app (default export), wired to the rollout engine, the git workspace and the
 * health gates. Thin: see `create-waves-app.ts` for the wiring and `handlers.ts` for events.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplicationFunction } from "probot";
import { GitWorkspace } from "../gitops/workspace.js";
import { createHealthGate } from "../health/health-gate.js";
import type { RolloutEnv } from "../rollout/index.js";
import * as engine from "../rollout/index.js";
import { apiBaseUrl } from "../scm/github/git-checkout.js";
import { registerSecret } from "../util/redact.js";
import { createWavesApp } from "./create-waves-app.js";
import { reconcileIntervalMs } from "./reconcile-interval.js";

/** The app as `npm start` runs it, configured from the environment. */
export function wavesAppFromEnv(env: NodeJS.ProcessEnv = process.env): ApplicationFunction {
  for (const name of ["PRIVATE_KEY", "WEBHOOK_SECRET"]) registerSecret(env[name]);
  const workspace = new GitWorkspace({
    cacheDir: env.WAVES_CACHE_DIR || join(tmpdir(), "gitops-waves-cache"),
    identity: {
      name: env.WAVES_GIT_NAME || "gitops-waves[bot]",
      email: env.WAVES_GIT_EMAIL || "gitops-waves[bot]@users.noreply.github.com",
    },
  });
  return createWavesApp<RolloutEnv>({
    engine,
    openCheckout: (remote) => {
      registerSecret(remote.token);
      return workspace.checkout({ url: remote.url, token: () => remote.token });
    },
    buildEnv: ({ source, target, logger, appLogin }) => ({
      source,
      target,
      logger,
      appLogin,
      now: () => new Date(),
      healthGate: (config) => createHealthGate({ config, env, logger }),
    }),
    reconcileIntervalMs: reconcileIntervalMs(env.WAVES_RECONCILE_INTERVAL),
    apiBaseUrl: apiBaseUrl(env),
    env,
  });
}

const app: ApplicationFunction = (probot, options) => wavesAppFromEnv()(probot, options);
export default app;
