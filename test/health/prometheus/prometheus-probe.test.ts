/**
 * The Prometheus probe against the real Debian Prometheus, with data backfilled a day in the
 * past and every query evaluated at that time, so each verdict and reason is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthCheck, WavesConfig } from "../../../src/config/waves.schema.js";
import { createPrometheusProbe } from "../../../src/health/prometheus/prometheus-probe.js";
import type { CheckResult, GateClock, ProbeContext } from "../../../src/health/types.js";
import type { PlannedCheck, WavePlan } from "../../../src/plan/types.js";
import { capturingLogger } from "../../../src/util/logger.js";
import { CallLedger } from "../../../src/util/outward-calls.js";
import {
  backfillTime,
  freePort,
  type MetricFamily,
  startPrometheus,
  type TestPrometheus,
} from "../../support/prometheus.js";

const T = backfillTime();
const HOSTILE = 'evil"} or vector(0) or up{x="\\\n';

const families: MetricFamily[] = [
  {
    name: "error_rate",
    samples: [
      { labels: { cluster: "good" }, value: 0.002, t: T - 60 },
      { labels: { cluster: "good" }, value: 0.003, t: T },
      { labels: { cluster: "bad" }, value: 0.034, t: T },
      { labels: { cluster: "edge" }, value: 0.01, t: T },
      { labels: { cluster: "nan" }, value: "NaN", t: T },
      { labels: { cluster: "inf" }, value: "+Inf", t: T },
      { labels: { cluster: HOSTILE }, value: 0.5, t: T },
      // A stale sample: more than 5 minutes before T, so no data at T.
      { labels: { cluster: "stale" }, value: 0.001, t: T - 600 },
    ],
  },
  {
    name: "pod_error_ratio",
    samples: [
      { labels: { cluster: "multi", pod: "api-1" }, value: 0.001, t: T },
      { labels: { cluster: "multi", pod: "api-2" }, value: 0.05, t: T },
      { labels: { cluster: "multi", pod: "api-3" }, value: 0.02, t: T },
      { labels: { cluster: "allgood", pod: "api-1" }, value: 0.001, t: T },
      { labels: { cluster: "allgood", pod: "api-2" }, value: 0.004, t: T },
    ],
  },
  {
    name: "availability",
    samples: [
      { labels: { cluster: "good" }, value: 0.97, t: T },
      { labels: { cluster: "bad" }, value: 0.5, t: T },
    ],
  },
  {
    name: "regional_error_rate",
    samples: [
      { labels: { cluster: "prod.eu-1" }, value: 0.001, t: T },
      // What an unquoted regex `prod.eu-1` would match as well.
      { labels: { cluster: "prodXeu-1" }, value: 0.5, t: T },
    ],
  },
  {
    name: "deploy_info",
    samples: [{ labels: { wave: "canary", revision: "abc1234", cluster: "good" }, value: 1, t: T }],
  },
];

let prom: TestPrometheus;
beforeAll(async () => {
  prom = await startPrometheus({ backfill: families });
});
afterAll(async () => {
  await prom?.stop();
});

function check(
  name: string,
  spec: Partial<Extract<HealthCheck, { type: "prometheus" }>>,
): PlannedCheck {
  return {
    name,
    spec: {
      type: "prometheus",
      query: 'error_rate{cluster="{cluster}"}',
      condition: "< 0.01",
      onNoData: "fail",
      failureLimit: 1,
      ...spec,
    },
  };
}

function wave(clusters: string[], checks: PlannedCheck[]): WavePlan {
  return {
    name: "canary",
    index: 0,
    clusters,
    files: [],
    checks,
    waitTimeMs: 0,
    progressDeadlineMs: 900_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
  };
}

function ctx(w: WavePlan, clock?: GateClock, now = new Date(T * 1000)): ProbeContext {
  return {
    wave: w,
    revision: "abc1234",
    now,
    clock: clock ?? { startedAt: now.toISOString(), failures: {} },
    isAncestor: async () => false,
  };
}

function setup(
  config?: Pick<WavesConfig, "prometheus" | "clusters">,
  extra: { env?: NodeJS.ProcessEnv; concurrency?: number } = {},
) {
  const ledger = new CallLedger();
  const logger = capturingLogger();
  const probe = createPrometheusProbe({
    config: config ?? { prometheus: { url: prom.url } },
    env: extra.env ?? {},
    logger,
    http: { ledger, sleep: async () => {}, timeoutMs: 5_000 },
    ...(extra.concurrency ? { concurrency: extra.concurrency } : {}),
  });
  return { probe, ledger, logger };
}

async function evaluate(
  clusters: string[],
  spec: Parameters<typeof check>[1],
): Promise<CheckResult[]> {
  const { probe } = setup();
  const c = check("error-rate", spec);
  const { results } = await probe.run(ctx(wave(clusters, [c])), [c]);
  return results;
}

const brief = (results: CheckResult[]) => results.map((r) => [r.cluster, r.status, r.reason]);

describe("prometheus probe against a real Prometheus", () => {
  it("passes under the threshold and fails over it, naming the series", async () => {
    expect(brief(await evaluate(["good", "bad", "edge"], {}))).toEqual([
      ["good", "pass", '0.003 for error_rate{cluster="good"} (want < 0.01)'],
      ["bad", "fail", '0.034 > 0.01 for error_rate{cluster="bad"} (want < 0.01)'],
      ["edge", "fail", '0.01 == 0.01 for error_rate{cluster="edge"} (want < 0.01)'],
    ]);
  });

  it("judges every series and reports the worst when one is bad", async () => {
    const query = 'pod_error_ratio{cluster="{cluster}"}';
    expect(brief(await evaluate(["multi", "allgood"], { query }))).toEqual([
      [
        "multi",
        "fail",
        '0.05 > 0.01 for pod_error_ratio{cluster="multi", pod="api-2"} (want < 0.01); 2 of 3 series break it',
      ],
      ["allgood", "pass", "all 2 series < 0.01 (min 0.001, max 0.004)"],
    ]);
  });

  it("follows onNoData for empty results, stale series included", async () => {
    const none = ["nowhere", "stale"];
    expect(brief(await evaluate(none, {}))).toEqual([
      ["nowhere", "fail", "no data: the query returned no series (onNoData: fail)"],
      ["stale", "fail", "no data: the query returned no series (onNoData: fail)"],
    ]);
    expect(brief(await evaluate(["nowhere"], { onNoData: "pass" }))).toEqual([
      ["nowhere", "pass", "no data: the query returned no series (onNoData: pass)"],
    ]);
    expect(brief(await evaluate(["nowhere"], { onNoData: "pending" }))).toEqual([
      ["nowhere", "pending", "no data yet: the query returned no series (onNoData: pending)"],
    ]);
  });

  it("never passes NaN or +Inf, even for conditions they would meet", async () => {
    expect(brief(await evaluate(["nan", "inf"], { condition: "!= 0" }))).toEqual([
      ["nan", "fail", 'NaN for error_rate{cluster="nan"} (want != 0)'],
      ["inf", "fail", '+Inf for error_rate{cluster="inf"} (want != 0)'],
    ]);
    expect(brief(await evaluate(["inf"], { condition: "> 0" }))).toEqual([
      ["inf", "fail", '+Inf for error_rate{cluster="inf"} (want > 0)'],
    ]);
  });

  it("checks ranges inclusively, and >= conditions", async () => {
    const query = 'availability{cluster="{cluster}"}';
    expect(
      brief(await evaluate(["good", "bad"], { query, condition: { min: 0.95, max: 1 } })),
    ).toEqual([
      ["good", "pass", '0.97 for availability{cluster="good"} (want in [0.95, 1])'],
      ["bad", "fail", '0.5 < min 0.95 for availability{cluster="bad"} (want in [0.95, 1])'],
    ]);
    expect(
      brief(await evaluate(["good"], { query, condition: { min: 0.5, max: 0.97 } }))[0]?.[1],
    ).toBe("pass");
    expect(brief(await evaluate(["good"], { query, condition: { max: 0.96 } }))).toEqual([
      ["good", "fail", '0.97 > max 0.96 for availability{cluster="good"} (want <= 0.96)'],
    ]);
    expect(brief(await evaluate(["good"], { query, condition: ">= 0.97" }))[0]?.[1]).toBe("pass");
  });

  it("accepts scalar results and refuses range vectors", async () => {
    expect(
      brief(await evaluate(["good"], { query: 'scalar(error_rate{cluster="{cluster}"})' })),
    ).toEqual([["good", "pass", "0.003 (want < 0.01)"]]);
    expect(
      brief(await evaluate(["good"], { query: 'error_rate{cluster="{cluster}"}[5m]' })),
    ).toEqual([
      [
        "good",
        "unknown",
        "query must return an instant vector, not a range vector (matrix): drop the [range] or wrap it in a function such as rate()",
      ],
    ]);
  });

  it("substitutes {wave} and {revision}", async () => {
    const query = 'deploy_info{cluster="{cluster}",wave="{wave}",revision="{revision}"}';
    expect(brief(await evaluate(["good"], { query, condition: "== 1" }))).toEqual([
      [
        "good",
        "pass",
        '1 for deploy_info{cluster="good", revision="abc1234", wave="canary"} (want == 1)',
      ],
    ]);
  });

  it("escapes a hostile cluster name so it matches only its own series", async () => {
    const results = await evaluate([HOSTILE], {});
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe("fail");
    expect(results[0]?.reason).toBe(
      `0.5 > 0.01 for error_rate{cluster=${JSON.stringify(HOSTILE)}} (want < 0.01)`,
    );
  });

  it("regex-quotes the cluster in a =~ matcher, so a dotted name matches only itself", async () => {
    const results = await evaluate(["prod.eu-1"], {
      query: 'regional_error_rate{cluster=~"{cluster}"}',
    });
    expect(brief(results)).toEqual([
      ["prod.eu-1", "pass", '0.001 for regional_error_rate{cluster="prod.eu-1"} (want < 0.01)'],
    ]);
  });

  it("reports bad PromQL with Prometheus's own error text, as unknown", async () => {
    const { probe, ledger, logger } = setup();
    const bad = check("error-rate", { query: 'sum(error_rate{cluster="{cluster}"}' });
    const many = check("join", { query: "error_rate + ignoring(cluster) error_rate" });
    const { results } = await probe.run(ctx(wave(["good"], [bad, many])), [bad, many]);
    expect(brief(results)).toEqual([
      [
        "good",
        "unknown",
        'PromQL error (bad_data): invalid parameter "query": 1:31: parse error: unclosed left parenthesis',
      ],
      [
        "good",
        "unknown",
        expect.stringMatching(
          /^PromQL error \(execution\): found duplicate series for the match group \{\} on the (left|right) hand-side of the operation/,
        ),
      ],
    ]);
    // 4xx is never retried. The two queries run concurrently, so they may finish in either order.
    const calls = ledger.all().map((r) => [r.endpoint, r.status]);
    expect(calls.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ["GET /api/v1/query", 400],
      ["GET /api/v1/query", 422],
    ]);
    expect(logger.lines.map((l) => [l.message, l.fields.kind])).toEqual([
      ["prometheus query failed", "client"],
      ["prometheus query failed", "client"],
    ]);
    expect(results[0]?.url).toBe(
      `${prom.url}/graph?${new URLSearchParams({
        "g0.expr": 'sum(error_rate{cluster="good"}',
        "g0.tab": "1",
        "g0.moment_input": new Date(T * 1000).toISOString().slice(0, 19).replace("T", " "),
      })}`,
    );
  });

  it("is unknown, not pass, when the server is down, and asks a dead instance once", async () => {
    const port = await freePort();
    const { probe, ledger } = setup(
      { prometheus: { url: `http://127.0.0.1:${port}` } },
      { concurrency: 1 },
    );
    const c = check("error-rate", { onNoData: "pass" });
    const { results } = await probe.run(ctx(wave(["good", "bad", "edge"], [c])), [c]);
    const reason = `Prometheus unreachable at http://127.0.0.1:${port} (GET /api/v1/query): ECONNREFUSED`;
    expect(brief(results)).toEqual([
      ["good", "unknown", reason],
      ["bad", "unknown", reason],
      ["edge", "unknown", reason],
    ]);
    // One query with its two retries; the other clusters are not sent to a dead instance.
    expect(ledger.count({ status: "error" })).toBe(3);
    expect(ledger.count()).toBe(3);
  });

  it("sends the token from tokenEnv and says which variable is missing", async () => {
    const config = { prometheus: { url: prom.url, tokenEnv: "PROM_TOKEN" } };
    const c = check("error-rate", {});
    const w = wave(["good", "bad"], [c]);
    const withToken = setup(config, { env: { PROM_TOKEN: "prom-secret-token-42" } });
    const ok = await withToken.probe.run(ctx(w), [c]);
    expect(ok.results.map((r) => r.status)).toEqual(["pass", "fail"]);
    const without = setup(config);
    const missing = await without.probe.run(ctx(w), [c]);
    expect(brief(missing.results)).toEqual([
      ["good", "unknown", "Prometheus token missing: environment variable PROM_TOKEN is not set"],
      ["bad", "unknown", "Prometheus token missing: environment variable PROM_TOKEN is not set"],
    ]);
    expect(without.ledger.count()).toBe(0);
  });

  it("routes each cluster to its named instance", async () => {
    const port = await freePort();
    const { probe } = setup({
      prometheus: { live: { url: prom.url }, dead: { url: `http://127.0.0.1:${port}` } },
      clusters: { good: { prometheus: "live" }, bad: { prometheus: "dead" } },
    });
    const c = check("error-rate", {});
    const { results } = await probe.run(ctx(wave(["good", "bad"], [c])), [c]);
    expect(results.map((r) => r.status)).toEqual(["pass", "unknown"]);
  });

  it("counts consecutive failures up to failureLimit; unknown neither counts nor resets", async () => {
    const { probe } = setup();
    const c = check("error-rate", { failureLimit: 3 });
    const w = wave(["bad"], [c]);
    let clock: GateClock = { startedAt: new Date(T * 1000).toISOString(), failures: {} };
    const seen: [string, string][] = [];
    for (let i = 0; i < 3; i++) {
      const out = await probe.run(ctx(w, clock), [c]);
      clock = { ...clock, ...out.clockPatch, failures: out.clockPatch?.failures ?? {} };
      seen.push([out.results[0]!.status, out.results[0]!.reason]);
    }
    const reason = '0.034 > 0.01 for error_rate{cluster="bad"} (want < 0.01)';
    expect(seen).toEqual([
      ["pending", `1/3 consecutive failures: ${reason}`],
      ["pending", `2/3 consecutive failures: ${reason}`],
      ["fail", reason],
    ]);
    expect(clock.failures).toEqual({ "error-rate/bad": 3 });

    // A passing evaluation resets the streak.
    const good = await probe.run(
      ctx(wave(["bad"], [check("error-rate", { failureLimit: 3, condition: "< 1" })]), clock),
      [check("error-rate", { failureLimit: 3, condition: "< 1" })],
    );
    expect(good.clockPatch?.failures).toEqual({ "error-rate/bad": 0 });
  });

  it("re-queries only when the interval is due, reusing the last verdict", async () => {
    const { probe, ledger } = setup();
    const c = check("error-rate", { interval: 60_000 });
    const w = wave(["good", "bad"], [c]);
    const t0 = new Date(T * 1000);
    let clock: GateClock = { startedAt: t0.toISOString(), failures: {} };
    const step = async (offsetMs: number) => {
      const out = await probe.run(ctx(w, clock, new Date(t0.getTime() + offsetMs)), [c]);
      clock = { ...clock, ...out.clockPatch } as GateClock;
      return out.results.map((r) => r.status);
    };
    expect(await step(0)).toEqual(["pass", "fail"]);
    expect(ledger.count()).toBe(2);
    expect(await step(30_000)).toEqual(["pass", "fail"]);
    expect(ledger.count()).toBe(2);
    expect(clock.lastRun).toEqual({ "error-rate": t0.toISOString() });
    expect(await step(60_000)).toEqual(["pass", "fail"]);
    expect(ledger.count()).toBe(4);
    expect(clock.lastRun).toEqual({ "error-rate": new Date(t0.getTime() + 60_000).toISOString() });
  });

  it("queries at ctx.now: an hour later the backfilled data is gone", async () => {
    const { probe } = setup();
    const c = check("error-rate", {});
    const { results } = await probe.run(
      ctx(wave(["good"], [c]), undefined, new Date((T + 3600) * 1000)),
      [c],
    );
    expect(results[0]?.status).toBe("fail");
    expect(results[0]?.reason).toBe("no data: the query returned no series (onNoData: fail)");
  });
});
