/**
 * Reads a Prometheus `/api/v1/query` answer into plain samples. Only instant results can be
 * judged: a vector (one sample per series) or a scalar; anything else is refused with a reason.
 */

export interface Sample {
  /** Series labels, `__name__` included when Prometheus kept it. */
  labels: Record<string, string>;
  value: number;
}

export type InstantResult = { ok: true; samples: Sample[] } | { ok: false; reason: string };

/** Parses a sample value as Prometheus writes it ("0.5", "NaN", "+Inf", "-Inf"). */
export function parseSampleValue(text: string): number {
  switch (text) {
    case "NaN":
      return Number.NaN;
    case "+Inf":
    case "Inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
      return Number.NEGATIVE_INFINITY;
    default:
      return text.trim() === "" ? Number.NaN : Number(text);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sampleValue(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[1] !== "string") return undefined;
  return parseSampleValue(pair[1]);
}

function labelsOf(metric: unknown): Record<string, string> | undefined {
  if (!isRecord(metric)) return undefined;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metric)) {
    if (typeof value !== "string") return undefined;
    labels[key] = value;
  }
  return labels;
}

const MALFORMED = "Prometheus answered with a malformed query result";

export function readInstantResult(body: unknown): InstantResult {
  if (!isRecord(body)) return { ok: false, reason: MALFORMED };
  if (body.status === "error") {
    const type = typeof body.errorType === "string" ? ` (${body.errorType})` : "";
    const text = typeof body.error === "string" ? body.error : "unknown error";
    return { ok: false, reason: `PromQL error${type}: ${text}` };
  }
  const data = body.data;
  if (body.status !== "success" || !isRecord(data)) return { ok: false, reason: MALFORMED };
  switch (data.resultType) {
    case "scalar": {
      const value = sampleValue(data.result);
      if (value === undefined) return { ok: false, reason: MALFORMED };
      return { ok: true, samples: [{ labels: {}, value }] };
    }
    case "vector": {
      if (!Array.isArray(data.result)) return { ok: false, reason: MALFORMED };
      const samples: Sample[] = [];
      for (const series of data.result) {
        if (!isRecord(series)) return { ok: false, reason: MALFORMED };
        const labels = labelsOf(series.metric);
        if (!labels) return { ok: false, reason: MALFORMED };
        if (series.value === undefined && series.histogram !== undefined) {
          return {
            ok: false,
            reason: `query returned a native histogram for ${formatSeries(labels)}: aggregate it to a number (e.g. histogram_quantile)`,
          };
        }
        const value = sampleValue(series.value);
        if (value === undefined) return { ok: false, reason: MALFORMED };
        samples.push({ labels, value });
      }
      return { ok: true, samples };
    }
    case "matrix":
      return {
        ok: false,
        reason:
          "query must return an instant vector, not a range vector (matrix): drop the [range] or wrap it in a function such as rate()",
      };
    case "string":
      return { ok: false, reason: "query must return an instant vector, not a string" };
    default:
      return { ok: false, reason: MALFORMED };
  }
}

/** `name{a="1", b="x"}` with label values quoted; `{}` for a series without labels. */
export function formatSeries(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const inner = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`)
    .join(", ");
  return `${name ?? ""}{${inner}}`;
}
