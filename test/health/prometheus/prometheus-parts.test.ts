import { describe, expect, it } from "vitest";
import { formatValue, parseCondition } from "../../../src/health/prometheus/condition.js";
import {
  formatSeries,
  parseSampleValue,
  readInstantResult,
} from "../../../src/health/prometheus/instant-result.js";
import { judgeSamples } from "../../../src/health/prometheus/judge-samples.js";
import { resolvePrometheusInstance } from "../../../src/health/prometheus/prometheus-instance.js";
import { prometheusGraphUrl } from "../../../src/health/prometheus/prometheus-probe.js";
import { escapePromQlString, renderQuery } from "../../../src/health/prometheus/promql-template.js";

describe("renderQuery", () => {
  it("substitutes every placeholder and escapes values for PromQL strings", () => {
    expect(
      renderQuery(
        'up{cluster="{cluster}",wave="{wave}",rev="{revision}"} or on() up{c="{cluster}"}',
        {
          cluster: 'a"b\\c\nd',
          wave: "canary",
          revision: "abc123",
        },
      ),
    ).toBe(
      'up{cluster="a\\"b\\\\c\\nd",wave="canary",rev="abc123"} or on() up{c="a\\"b\\\\c\\nd"}',
    );
    expect(escapePromQlString("tab\there\r")).toBe("tab\\there\\r");
    expect(renderQuery('sum(x{job="{unknown}"})', { cluster: "c", wave: "w", revision: "r" })).toBe(
      'sum(x{job="{unknown}"})',
    );
  });
});

describe("renderQuery: regex matchers and quoting styles", () => {
  const vars = { cluster: "prod.eu-1", wave: "wave-1", revision: "abc123" };

  it("regex-quotes values that land in =~ and !~ matchers, and only there", () => {
    expect(renderQuery('x{cluster=~"{cluster}", other!~ "{cluster}|b", c="{cluster}"}', vars)).toBe(
      'x{cluster=~"prod\\\\.eu-1", other!~ "prod\\\\.eu-1|b", c="prod.eu-1"}',
    );
    const hostile = { ...vars, cluster: "a|.*" };
    expect(renderQuery('x{cluster=~"{cluster}"}', hostile)).toBe('x{cluster=~"a\\\\|\\\\.\\\\*"}');
  });

  it("escapes for single-quoted and raw strings and keeps escaped quotes inside a string", () => {
    const quoted = { ...vars, cluster: `it's "x"` };
    expect(renderQuery("x{c='{cluster}'}", quoted)).toBe(`x{c='it\\'s "x"'}`);
    expect(renderQuery("x{c=~`{cluster}`}", vars)).toBe("x{c=~`prod\\.eu-1`}");
    expect(renderQuery('x{a="\\"{wave}", c=~"{cluster}"}', vars)).toBe(
      'x{a="\\"wave-1", c=~"prod\\\\.eu-1"}',
    );
    expect(() => renderQuery("x{c=`{cluster}`}", { ...vars, cluster: "a`b" })).toThrow(/backtick/);
  });
});

describe("parseCondition", () => {
  const table: [
    spec: Parameters<typeof parseCondition>[0],
    value: number,
    holds: boolean,
    explain: string,
  ][] = [
    ["< 0.01", 0.001, true, "0.001 < 0.01"],
    ["< 0.01", 0.01, false, "0.01 == 0.01"],
    ["< 0.01", 0.034, false, "0.034 > 0.01"],
    ["<= 0.01", 0.01, true, "0.01 == 0.01"],
    ["> 5", 5, false, "5 == 5"],
    [">= 0.95", 0.95, true, "0.95 == 0.95"],
    [">= 0.95", 0.9, false, "0.9 < 0.95"],
    ["== 0", 0, true, "0 == 0"],
    ["== 0", 1, false, "1 > 0"],
    ["!= 0", 0, false, "0 == 0"],
    ["!= 0", -1, true, "-1 < 0"],
    ["<1e3", 999, true, "999 < 1000"],
    ["< 0.01", Number.NaN, false, "NaN"],
    ["!= 0", Number.NaN, false, "NaN"],
    ["> 0", Number.POSITIVE_INFINITY, false, "+Inf"],
    ["< 0", Number.NEGATIVE_INFINITY, false, "-Inf"],
    [{ min: 0.9, max: 1 }, 0.9, true, "0.9 in [0.9, 1]"],
    [{ min: 0.9, max: 1 }, 1, true, "1 in [0.9, 1]"],
    [{ min: 0.9, max: 1 }, 0.5, false, "0.5 < min 0.9"],
    [{ min: 0.9, max: 1 }, 1.2, false, "1.2 > max 1"],
    [{ min: 0.9 }, 100, true, "100 >= 0.9"],
    [{ max: 3 }, 4, false, "4 > max 3"],
    [{ min: 0, max: 1 }, Number.NaN, false, "NaN"],
  ];
  for (const [spec, value, holds, explain] of table) {
    it(`${JSON.stringify(spec)} with ${formatValue(value)}`, () => {
      const condition = parseCondition(spec);
      expect(condition.holds(value)).toBe(holds);
      expect(condition.explain(value)).toBe(explain);
      expect(condition.distance(value) === 0).toBe(holds);
    });
  }

  it("names the condition as written and refuses nonsense", () => {
    expect(parseCondition(" >=0.95 ").text).toBe(">= 0.95");
    expect(parseCondition({ min: 1, max: 2 }).text).toBe("in [1, 2]");
    expect(() => parseCondition("about 3")).toThrow(
      "condition 'about 3' is not a comparison such as '< 0.01', '>= 0.95' or '== 0'",
    );
    expect(() => parseCondition({ min: 2, max: 1 })).toThrow("range min 2 is greater than max 1");
    expect(() => parseCondition({})).toThrow("a range needs min, max or both");
  });
});

describe("readInstantResult", () => {
  it("reads vectors, scalars and special values", () => {
    expect(
      readInstantResult({
        status: "success",
        data: {
          resultType: "vector",
          result: [
            { metric: { __name__: "x", pod: "a" }, value: [1, "0.5"] },
            { metric: {}, value: [1, "NaN"] },
            { metric: {}, value: [1, "+Inf"] },
            { metric: {}, value: [1, "-Inf"] },
          ],
        },
      }),
    ).toEqual({
      ok: true,
      samples: [
        { labels: { __name__: "x", pod: "a" }, value: 0.5 },
        { labels: {}, value: Number.NaN },
        { labels: {}, value: Number.POSITIVE_INFINITY },
        { labels: {}, value: Number.NEGATIVE_INFINITY },
      ],
    });
    expect(
      readInstantResult({ status: "success", data: { resultType: "scalar", result: [1, "2"] } }),
    ).toEqual({
      ok: true,
      samples: [{ labels: {}, value: 2 }],
    });
    expect(parseSampleValue("1e-3")).toBe(0.001);
  });

  it("refuses matrices, strings, histograms, errors and junk with a reason", () => {
    const matrix = readInstantResult({
      status: "success",
      data: { resultType: "matrix", result: [] },
    });
    expect(matrix).toEqual({
      ok: false,
      reason:
        "query must return an instant vector, not a range vector (matrix): drop the [range] or wrap it in a function such as rate()",
    });
    expect(
      readInstantResult({ status: "success", data: { resultType: "string", result: [1, "s"] } }),
    ).toEqual({
      ok: false,
      reason: "query must return an instant vector, not a string",
    });
    expect(
      readInstantResult({
        status: "success",
        data: { resultType: "vector", result: [{ metric: { pod: "p" }, histogram: [1, {}] }] },
      }),
    ).toEqual({
      ok: false,
      reason:
        'query returned a native histogram for {pod="p"}: aggregate it to a number (e.g. histogram_quantile)',
    });
    expect(
      readInstantResult({ status: "error", errorType: "bad_data", error: "parse error" }),
    ).toEqual({
      ok: false,
      reason: "PromQL error (bad_data): parse error",
    });
    for (const junk of [
      null,
      "x",
      { status: "success" },
      { status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1] }] } },
    ]) {
      expect(readInstantResult(junk)).toEqual({
        ok: false,
        reason: "Prometheus answered with a malformed query result",
      });
    }
  });

  it("formats series with the name first and sorted, quoted labels", () => {
    expect(formatSeries({ pod: "api-1", __name__: "errors", app: 'a"b' })).toBe(
      'errors{app="a\\"b", pod="api-1"}',
    );
    expect(formatSeries({})).toBe("{}");
  });
});

describe("judgeSamples", () => {
  const lt = parseCondition("< 0.01");
  it("names the worst series and how many break the condition", () => {
    expect(
      judgeSamples(
        [
          { labels: { pod: "api-1" }, value: 0.034 },
          { labels: { pod: "api-2" }, value: 0.001 },
          { labels: { pod: "api-3" }, value: 0.02 },
        ],
        lt,
        "fail",
      ),
    ).toEqual({
      status: "fail",
      reason: '0.034 > 0.01 for {pod="api-1"} (want < 0.01); 2 of 3 series break it',
    });
    expect(
      judgeSamples(
        [
          { labels: { pod: "a" }, value: 0.5 },
          { labels: { pod: "b" }, value: Number.NaN },
        ],
        lt,
        "fail",
      ),
    ).toEqual({
      status: "fail",
      reason: 'NaN for {pod="b"} (want < 0.01); 2 of 2 series break it',
    });
  });

  it("passes when every series holds, and follows onNoData", () => {
    expect(judgeSamples([{ labels: {}, value: 0.002 }], lt, "fail")).toEqual({
      status: "pass",
      reason: "0.002 (want < 0.01)",
    });
    expect(
      judgeSamples(
        [
          { labels: { a: "1" }, value: 0.002 },
          { labels: { a: "2" }, value: 0.004 },
        ],
        lt,
        "fail",
      ),
    ).toEqual({
      status: "pass",
      reason: "all 2 series < 0.01 (min 0.002, max 0.004)",
    });
    expect(judgeSamples([], lt, "fail").status).toBe("fail");
    expect(judgeSamples([], lt, "pass").status).toBe("pass");
    expect(judgeSamples([], lt, "pending")).toEqual({
      status: "pending",
      reason: "no data yet: the query returned no series (onNoData: pending)",
    });
  });
});

describe("resolvePrometheusInstance", () => {
  const one = { url: "http://p:9090" };
  const many = { eu: { url: "http://eu:9090" }, us: { url: "http://us:9090", tokenEnv: "US" } };
  it("picks the check's instance, then the cluster's, then the only one", () => {
    expect(resolvePrometheusInstance({ prometheus: one }, "c", undefined)).toEqual({
      ok: true,
      key: "",
      instance: one,
    });
    expect(
      resolvePrometheusInstance(
        { prometheus: many, clusters: { c: { prometheus: "us" } } },
        "c",
        undefined,
      ),
    ).toMatchObject({
      ok: true,
      key: "us",
    });
    expect(
      resolvePrometheusInstance(
        { prometheus: many, clusters: { c: { prometheus: "us" } } },
        "c",
        "eu",
      ),
    ).toMatchObject({
      ok: true,
      key: "eu",
    });
    expect(
      resolvePrometheusInstance({ prometheus: { eu: many.eu } }, "c", undefined),
    ).toMatchObject({ ok: true, key: "eu" });
  });

  it("explains what is missing", () => {
    expect(resolvePrometheusInstance({}, "c", undefined)).toEqual({
      ok: false,
      reason: "no Prometheus configured: add a prometheus: section with its url",
    });
    expect(resolvePrometheusInstance({ prometheus: many }, "c", undefined)).toEqual({
      ok: false,
      reason:
        "cluster c names no Prometheus instance and there are 2: set clusters.c.prometheus or the check's instance",
    });
    expect(resolvePrometheusInstance({ prometheus: many }, "c", "asia")).toEqual({
      ok: false,
      reason: "Prometheus instance 'asia' is not defined (known: eu, us)",
    });
    expect(resolvePrometheusInstance({ prometheus: one }, "c", "eu")).toEqual({
      ok: false,
      reason:
        "Prometheus instance 'eu' is not defined: prometheus is a single instance, not a map of named ones",
    });
  });
});

describe("prometheusGraphUrl", () => {
  it("links the query as a table at the evaluation time", () => {
    expect(
      prometheusGraphUrl("http://p:9090/", 'up{a="b"}', new Date("2026-01-02T03:04:05.678Z")),
    ).toBe(
      "http://p:9090/graph?g0.expr=up%7Ba%3D%22b%22%7D&g0.tab=1&g0.moment_input=2026-01-02+03%3A04%3A05",
    );
  });
});
