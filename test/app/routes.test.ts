import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AppMetrics } from "../../src/app/app-metrics.js";
import { githubReachability } from "../../src/app/github-reachability.js";
import { createRoutes } from "../../src/app/routes.js";
import { CallLedger } from "../../src/util/outward-calls.js";
import { API, assertStrictMocks, github } from "../support/github-mocks.js";

describe("/healthz and /metrics", () => {
  let server: Server | undefined;
  afterEach(async () => {
    assertStrictMocks();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function serve(handler: ReturnType<typeof createRoutes>): Promise<string> {
    server = createServer((req, res) => {
      void handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("healthz: 200 while GitHub answers (cached), 503 once it does not", async () => {
    let now = 0;
    const reachable = githubReachability({ apiBaseUrl: API, cacheMs: 5_000, clock: () => now });
    const ledger = new CallLedger();
    const base = await serve(
      createRoutes({
        metrics: new AppMetrics(ledger),
        githubReachable: reachable,
        activeRollouts: () => 0,
      }),
    );
    github().get("/meta").reply(200, { verifiable_password_authentication: false });
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: "ok",
      github: { reachable: true, status: 200 },
    });
    // Within the cache window GitHub is not asked again (no second mock registered).
    now = 4_000;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    now = 10_000;
    github().get("/meta").reply(502, "bad gateway");
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: "unavailable",
      github: { reachable: false, status: 502 },
    });
  });

  it("metrics: outward calls by target/endpoint/status, rate limit remaining, active rollouts", async () => {
    const ledger = new CallLedger();
    const metrics = new AppMetrics(ledger);
    const base = await serve(
      createRoutes({
        metrics,
        githubReachable: async () => ({ ok: true, status: 200, checkedAt: "" }),
        activeRollouts: () => 3,
        pendingRetries: () => 2,
      }),
    );
    ledger.record({
      target: "github",
      endpoint: "POST /repos/{owner}/{repo}/pulls",
      status: 201,
      latencyMs: 12,
      rateLimitRemaining: 4321,
    });
    ledger.record({
      target: "argocd",
      endpoint: "GET /api/v1/applications",
      status: "error",
      latencyMs: 3,
    });
    metrics.observeReport({
      active: true,
      waveOutcomes: [{ outcome: "passed" }],
      verdicts: ["pass", "pending"],
    });
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(
      'waves_outward_calls_total{target="github",endpoint="POST /repos/{owner}/{repo}/pulls",status="201"} 1',
    );
    expect(text).toContain(
      'waves_outward_calls_total{target="argocd",endpoint="GET /api/v1/applications",status="error"} 1',
    );
    expect(text).toContain("waves_github_rate_limit_remaining 4321");
    expect(text).toContain("waves_active_rollouts 3");
    expect(text).toContain("waves_pending_retries 2");
    expect(text).toContain('waves_wave_outcomes_total{outcome="passed"} 1');
    expect(text).toContain('waves_gate_verdicts_total{verdict="pending"} 1');
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
