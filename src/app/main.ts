/**
 * `npm start`: Probot's `run` with its environment (APP_ID, PRIVATE_KEY / PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, REDIS_URL, PORT), webhooks at
 * `/api/github/webhooks`, `/healthz` and `/metrics` on the same port. Retries and throttling stay
 * on; every Octokit request is counted in the call ledger.
 */
import { ProbotOctokit, run } from "probot";
import { countOctokitCallsPlugin } from "../scm/github/count-octokit-calls.js";
import app from "./index.js";

const Octokit = ProbotOctokit.plugin(countOctokitCallsPlugin);

try {
  const server = await run(app, { Octokit: Octokit as typeof ProbotOctokit });
  // Probot stops on SIGINT; orchestrators send SIGTERM. State lives in GitHub, so stopping is safe.
  process.once("SIGTERM", () => {
    void server.stop().finally(() => process.exit(0));
  });
} catch (error) {
  // Start-up errors (a missing APP_ID, a bad WAVES_RECONCILE_INTERVAL) end the process clearly.
  process.stderr.write(
    `gitops-waves failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
