import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clusterOfQuery,
  type MetricsServer,
  startMetricsServer,
} from "../../src/fleet/metrics-server.js";

const QUERY =
  'sum(rate(http_requests_total{cluster="canary-1",code=~"5.."}[5m])) / sum(rate(http_requests_total{cluster="canary-1"}[5m]))';

describe("clusterOfQuery", () => {
  it.each([
    [QUERY, "canary-1"],
    ['up{cluster = "a-b"}', "a-b"],
    ['up{job="x",cluster="es\\"c"}', 'es"c'],
    ["up", undefined],
    ['up{clusterx="a"}', undefined],
  ])("%s → %s", (query, cluster) => {
    expect(clusterOfQuery(query)).toBe(cluster);
  });
});

describe("metrics server", () => {
  let server: MetricsServer;
  beforeEach(async () => {
    server = await startMetricsServer();
  });
  afterEach(async () => {
    await server.close();
  });

  async function query(q: string, time?: number, method = "GET"): Promise<Response> {
    const params = new URLSearchParams({ query: q });
    if (time !== undefined) params.set("time", String(time));
    if (method === "POST") {
      return fetch(`${server.url}/api/v1/query`, {
        method,
        body: params.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    }
    return fetch(`${server.url}/api/v1/query?${params}`);
  }

  it("answers the cluster's value in Prometheus' instant-vector shape", async () => {
    server.setValue("canary-1", 0.002);
    server.setValue("other", 0.5);
    const res = await query(QUERY, 1_700_000_000);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "success",
      data: {
        resultType: "vector",
        result: [{ metric: { cluster: "canary-1" }, value: [1_700_000_000, "0.002"] }],
      },
    });
    expect(server.queries).toEqual([QUERY]);
  });

  it("accepts POST form bodies like the real API", async () => {
    server.setValue("canary-1", 0.05);
    const res = await query(QUERY, 10, "POST");
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    expect(body.data.result[0]?.value).toEqual([10, "0.05"]);
  });

  it("returns an empty vector (no data) for clusters never set", async () => {
    const res = await query('up{cluster="nowhere"}', 5);
    expect(await res.json()).toEqual({
      status: "success",
      data: { resultType: "vector", result: [] },
    });
  });

  it("uses defaultValue and renders NaN like Prometheus", async () => {
    await server.close();
    server = await startMetricsServer({ defaultValue: 0, extraLabels: { job: "demo" } });
    server.setValue("b", Number.NaN);
    const a = (await (await query('x{cluster="a"}', 1)).json()) as {
      data: { result: unknown[] };
    };
    expect(a.data.result).toEqual([{ metric: { job: "demo", cluster: "a" }, value: [1, "0"] }]);
    const b = (await (await query('x{cluster="b"}', 1)).json()) as {
      data: { result: { value: unknown[] }[] };
    };
    expect(b.data.result[0]?.value).toEqual([1, "NaN"]);
    server.clearValue("b");
    expect(server.valueOf("b")).toBeUndefined();
  });

  it("rejects a missing query and a bad time with Prometheus' error shape", async () => {
    const missing = await fetch(`${server.url}/api/v1/query`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: "error", errorType: "bad_data" });
    const badTime = await fetch(`${server.url}/api/v1/query?query=up&time=soon`);
    expect(badTime.status).toBe(400);
    expect(((await badTime.json()) as { error: string }).error).toContain(
      'invalid parameter "time"',
    );
    const other = await fetch(`${server.url}/api/v1/series`);
    expect(other.status).toBe(404);
  });
});
