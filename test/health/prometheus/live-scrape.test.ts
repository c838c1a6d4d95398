/**
 * A live scrape: Prometheus scrapes a tiny /metrics server every second while the value flips
 * during the bake. Queries run at the wall clock; the bake clock is injected.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { evaluateWave } from "../../../src/health/evaluate-wave.js";
import { createPrometheusProbe } from "../../../src/health/prometheus/prometheus-probe.js";
import type { GateClock, GateOutcome } from "../../../src/health/types.js";
import type { PlannedCheck, WavePlan } from "../../../src/plan/types.js";
import { CallLedger } from "../../../src/util/outward-calls.js";
import { startPrometheus, type TestPrometheus } from "../../support/prometheus.js";

let value = 0.001;
let target: http.Server;
let prom: TestPrometheus;

beforeAll(async () => {
  target = http.createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(`# TYPE error_rate gauge\nerror_rate{cluster="live"} ${value}\n`);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const port = (target.address() as AddressInfo).port;
  prom = await startPrometheus({ scrapeTarget: `127.0.0.1:${port}`, scrapeInterval: "1s" });
});

afterAll(async () => {
  await prom?.stop();
  if (target) {
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

/**
 * Waits (real time, bounded) until Prometheus has scraped `expected`. The first scrape comes
 * about 5 s after start (Prometheus throttles target discovery updates to every 5 s).
 */
async function scraped(expected: number): Promise<void> {
  const deadline = Date.now() + 12_000;
  let last = "nothing";
  while (Date.now() < deadline) {
    const url = `${prom.url}/api/v1/query?query=${encodeURIComponent('error_rate{cluster="live"}')}`;
    const body = (await (await fetch(url)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    last = body.data.result[0]?.value[1] ?? "no data";
    if (last === String(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Prometheus never scraped ${expected} (last: ${last})\n${prom.log()}`);
}

it("bakes on live data: green, a flip resets the bake, green again, then pass", async () => {
  const check: PlannedCheck = {
    name: "error-rate",
    spec: {
      type: "prometheus",
      query: 'max(error_rate{cluster="{cluster}"}) by (cluster)',
      condition: "< 0.01",
      onNoData: "fail",
      failureLimit: 2,
    },
  };
  const wave: WavePlan = {
    name: "canary",
    index: 0,
    clusters: ["live"],
    files: [],
    checks: [check],
    waitTimeMs: 2 * 60_000,
    progressDeadlineMs: 15 * 60_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
  };
  const ledger = new CallLedger();
  const probe = createPrometheusProbe({
    config: { prometheus: { url: prom.url } },
    env: {},
    clockTimeForQuery: true,
    http: { ledger },
  });
  const start = Date.parse("2026-01-01T00:00:00Z");
  let clock: GateClock | undefined;
  const gate = async (minutes: number): Promise<GateOutcome> => {
    const outcome = await evaluateWave({
      wave,
      revision: "abc1234",
      mergedAt: new Date(start).toISOString(),
      now: new Date(start + minutes * 60_000),
      probes: [probe],
      isAncestor: async () => false,
      ...(clock ? { clock } : {}),
    });
    clock = outcome.clock;
    return outcome;
  };

  await scraped(0.001);
  expect(await gate(0)).toMatchObject({ status: "pending", remainingMs: 120_000 });
  expect(await gate(1)).toMatchObject({ status: "pending", remainingMs: 60_000 });

  value = 0.5;
  await scraped(0.5);
  const flipped = await gate(1.5);
  expect(flipped.status).toBe("pending");
  expect(flipped.clock.greenSince).toBeUndefined();
  expect(flipped.results[0]?.reason).toBe(
    '1/2 consecutive failures: 0.5 > 0.01 for {cluster="live"} (want < 0.01)',
  );

  value = 0.002;
  await scraped(0.002);
  expect(await gate(2)).toMatchObject({ status: "pending", remainingMs: 120_000 });
  expect(clock?.failures).toEqual({ "error-rate/live": 0 });
  expect(await gate(4)).toMatchObject({
    status: "pass",
    reason: "all 1 check on 1 cluster passed for 2m",
    remainingMs: 0,
  });
  expect(ledger.count({ endpoint: "GET /api/v1/query", status: 200 })).toBe(5);
}, 40_000);
