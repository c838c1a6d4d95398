/**
 * Which Prometheus answers for a cluster: the check's `instance`, else the cluster's
 * `prometheus`, else the only configured instance.
 */
import type { PrometheusInstance, WavesConfig } from "../../config/waves.schema.js";

export type InstanceChoice =
  | { ok: true; key: string; instance: PrometheusInstance }
  | { ok: false; reason: string };

function isSingle(value: NonNullable<WavesConfig["prometheus"]>): value is PrometheusInstance {
  return typeof (value as { url?: unknown }).url === "string";
}

export function resolvePrometheusInstance(
  config: Pick<WavesConfig, "prometheus" | "clusters">,
  cluster: string,
  checkInstance: string | undefined,
): InstanceChoice {
  const configured = config.prometheus;
  if (!configured) {
    return {
      ok: false,
      reason: "no Prometheus configured: add a prometheus: section with its url",
    };
  }
  const wanted = checkInstance ?? config.clusters?.[cluster]?.prometheus;
  if (isSingle(configured)) {
    if (wanted !== undefined) {
      return {
        ok: false,
        reason: `Prometheus instance '${wanted}' is not defined: prometheus is a single instance, not a map of named ones`,
      };
    }
    return { ok: true, key: "", instance: configured };
  }
  const names = Object.keys(configured);
  if (wanted !== undefined) {
    const instance = configured[wanted];
    if (!instance) {
      return {
        ok: false,
        reason: `Prometheus instance '${wanted}' is not defined (known: ${names.join(", ") || "none"})`,
      };
    }
    return { ok: true, key: wanted, instance };
  }
  if (names.length === 1) {
    const only = names[0] as string;
    return { ok: true, key: only, instance: configured[only] as PrometheusInstance };
  }
  return {
    ok: false,
    reason: `cluster ${cluster} names no Prometheus instance and there are ${names.length}: set clusters.${cluster}.prometheus or the check's instance`,
  };
}
