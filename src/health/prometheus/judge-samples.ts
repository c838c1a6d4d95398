/**
 * Judges one query's samples against a condition: every series must satisfy it; the reason
 * names the worst series with its labels and value.
 */
import type { Verdict } from "../types.js";
import type { Condition } from "./condition.js";
import { formatValue } from "./condition.js";
import { formatSeries, type Sample } from "./instant-result.js";

export type OnNoData = "fail" | "pass" | "pending";

export interface Judgement {
  status: Verdict;
  reason: string;
}

function seriesSuffix(sample: Sample): string {
  return Object.keys(sample.labels).length > 0 ? ` for ${formatSeries(sample.labels)}` : "";
}

export function judgeSamples(
  samples: readonly Sample[],
  condition: Condition,
  onNoData: OnNoData,
): Judgement {
  if (samples.length === 0) {
    const reasons: Record<OnNoData, string> = {
      fail: "no data: the query returned no series (onNoData: fail)",
      pass: "no data: the query returned no series (onNoData: pass)",
      pending: "no data yet: the query returned no series (onNoData: pending)",
    };
    return { status: onNoData, reason: reasons[onNoData] };
  }
  const bad = samples.filter((s) => !condition.holds(s.value));
  const want = `(want ${condition.text})`;
  if (bad.length > 0) {
    // Worst = furthest from the condition; NaN and ±Inf are infinitely far.
    const worst = bad.reduce((a, b) =>
      condition.distance(b.value) > condition.distance(a.value) ? b : a,
    );
    const others = bad.length > 1 ? `; ${bad.length} of ${samples.length} series break it` : "";
    return {
      status: "fail",
      reason: `${condition.explain(worst.value)}${seriesSuffix(worst)} ${want}${others}`,
    };
  }
  if (samples.length === 1) {
    const only = samples[0] as Sample;
    return { status: "pass", reason: `${formatValue(only.value)}${seriesSuffix(only)} ${want}` };
  }
  const values = samples.map((s) => s.value);
  return {
    status: "pass",
    reason: `all ${samples.length} series ${condition.text} (min ${formatValue(Math.min(...values))}, max ${formatValue(Math.max(...values))})`,
  };
}
