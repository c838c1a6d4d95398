/**
 * The app function loaded into a real Probot instance (no server) with a recording engine:
 * tests send webhooks with `probot.receive` and read which engine call each became.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, type ProbotOctokit } from "probot";
import type { AppMetrics } from "../../src/app/app-metrics.js";
import { createWavesApp, type EnvParts } from "../../src/app/create-waves-app.js";
import type { Reconciler } from "../../src/app/reconciler.js";
import type { RolloutEngine } from "../../src/app/rollout-engine.js";
import { generateAppKeys } from "../support/app-keys.js";
import { fakeCheckout } from "../support/fake-checkout.js";
import { API } from "../support/github-mocks.js";
import { TestOctokit } from "../support/test-octokit.js";

export const APP_ID = 1;
export const WEBHOOK_SECRET = "test-webhook-secret";
export const keys = generateAppKeys();

export interface EngineCall {
  method: "handlePush" | "handleComment" | "handleCheckRunEvent" | "reconcile";
  input?: unknown;
  repo: string;
}

export interface TestApp {
  probot: Probot;
  calls: EngineCall[];
  logLines: string[];
  handlers: ((
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ) => unknown)[];
  reconciler: Reconciler<EnvParts>;
  metrics: AppMetrics;
}

export async function startTestApp(
  options: {
    active?: boolean;
    onCall?: (call: EngineCall, env: EnvParts) => Promise<void>;
    clock?: () => Date;
  } = {},
): Promise<TestApp> {
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const log = pino({ level: "trace" }, stream);
  const probot = new Probot({
    appId: APP_ID,
    privateKey: keys.privateKey,
    secret: WEBHOOK_SECRET,
    Octokit: TestOctokit as unknown as typeof ProbotOctokit,
    log,
  });
  const calls: EngineCall[] = [];
  const record = (method: EngineCall["method"]) => async (env: EnvParts, input?: unknown) => {
    const call = { method, input, repo: `${env.source.repo.owner}/${env.source.repo.name}` };
    calls.push(call);
    await options.onCall?.(call, env);
    return { active: options.active ?? true };
  };
  const engine: RolloutEngine<EnvParts> = {
    handlePush: record("handlePush"),
    handleComment: record("handleComment"),
    handleCheckRunEvent: record("handleCheckRunEvent"),
    reconcile: (env) => record("reconcile")(env),
  };
  const handlers: TestApp["handlers"] = [];
  let loaded: { reconciler: Reconciler<EnvParts>; metrics: AppMetrics } | undefined;
  await probot.load(
    createWavesApp<EnvParts>({
      engine,
      buildEnv: (parts) => parts,
      // The repository's own config (no `target.repository`): source and target are the same.
      openCheckout: fakeCheckout({ "main:.github/waves.yml": "waves: []\n" }).open,
      reconcileIntervalMs: 60_000,
      apiBaseUrl: API,
      startReconciler: false,
      env: {},
      ...(options.clock ? { clock: options.clock } : {}),
      onLoaded: (parts) => {
        loaded = parts;
      },
    }),
    { cwd: process.cwd(), addHandler: (handler) => handlers.push(handler) },
  );
  if (!loaded) throw new Error("app did not load");
  return { probot, calls, logLines, handlers, ...loaded };
}
