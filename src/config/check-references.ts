import { checkWaves, type WaveMembers } from "./check-waves.js";
import type { ConfigIssue } from "./config-error.js";
import { pathTemplateProblem } from "./path-template.js";
import {
  type InstanceShape,
  instanceShape,
  isRawMap,
  type RawMap,
  rawList,
  rawMap,
  rawString,
  rawStrings,
} from "./raw-config.js";
import { BUILTIN_HEALTH_CHECKS } from "./waves.schema.js";

/**
 * Cross-field checks the schema cannot express: references between waves, clusters, health
 * checks and instances, and promotion path templates. Works on the raw YAML value so that it
 * runs (and reports) alongside schema errors.
 */
export function checkReferences(raw: unknown): ConfigIssue[] {
  if (!isRawMap(raw)) return [];
  const issues: ConfigIssue[] = [];
  const members = checkWaves(raw, issues);
  checkHealthCheckNames(raw, issues);
  checkInstances(raw, members, issues);
  checkPromotionPaths(raw, issues);
  return issues;
}

function checkPromotionPaths(raw: RawMap, issues: ConfigIssue[]): void {
  rawList(rawMap(raw.promotion)?.files).forEach((file, index) => {
    const template = rawString(rawMap(file)?.path);
    if (template === undefined) return;
    const problem = pathTemplateProblem(template);
    if (problem) {
      issues.push({
        path: ["promotion", "files", index, "path"],
        message: `promotion path '${template.replace(/\0/g, "\\0")}' ${problem}`,
      });
    }
  });
}

function checkHealthCheckNames(raw: RawMap, issues: ConfigIssue[]): void {
  const defined = Object.keys(rawMap(raw.healthChecks) ?? {});
  const known = [...new Set([...BUILTIN_HEALTH_CHECKS, ...defined])];
  const check = (value: unknown, path: (string | number)[], who: string) => {
    for (const { index, value: name } of rawStrings(value)) {
      if (known.includes(name)) continue;
      const defs = defined.length
        ? `, nor under healthChecks: (${defined.join(", ")})`
        : ", and healthChecks: defines none";
      issues.push({
        path: [...path, index],
        message: `${who} uses health check '${name}', which is not built in (${BUILTIN_HEALTH_CHECKS.join(", ")})${defs}`,
      });
    }
  };
  const empty = (value: unknown, path: (string | number)[], who: string) => {
    if (!Array.isArray(value) || value.length > 0) return;
    issues.push({
      path,
      severity: "warning",
      message: `${who} lists no health checks, so its gate passes on bake time alone: leave healthChecks out to use the defaults`,
    });
  };
  const defaults = rawMap(raw.defaults)?.healthChecks;
  check(defaults, ["defaults", "healthChecks"], "defaults");
  empty(defaults, ["defaults", "healthChecks"], "defaults");
  rawList(raw.waves).forEach((wave, index) => {
    const map = rawMap(wave);
    const name = rawString(map?.name) ?? `#${index + 1}`;
    check(map?.healthChecks, ["waves", index, "healthChecks"], `wave '${name}'`);
    empty(map?.healthChecks, ["waves", index, "healthChecks"], `wave '${name}'`);
  });
  for (const [name, value] of Object.entries(rawMap(raw.healthChecks) ?? {})) {
    const query = rawString(rawMap(value)?.query);
    if (rawMap(value)?.type === "prometheus" && query && !query.includes("{cluster}")) {
      issues.push({
        path: ["healthChecks", name, "query"],
        severity: "warning",
        message: `health check '${name}' has a query without {cluster}, so every cluster is judged on the same fleet-wide result`,
      });
    }
  }
}

const TITLE = { argocd: "Argo CD", prometheus: "Prometheus" } as const;

function referenceProblem(
  area: "argocd" | "prometheus",
  shape: InstanceShape,
  name: string,
): string | undefined {
  if (shape.kind === "none") return `but there is no ${area}: section`;
  if (shape.kind === "single") {
    return `but ${area}: is a single instance: remove the instance name, or make ${area}: a map of named instances`;
  }
  if (!shape.names.includes(name)) {
    return `which is not under ${area}: (known: ${shape.names.join(", ") || "none"})`;
  }
  return undefined;
}

function checkInstances(raw: RawMap, members: WaveMembers[], issues: ConfigIssue[]): void {
  const argocd = instanceShape(raw.argocd);
  const prometheus = instanceShape(raw.prometheus);
  const clusters = rawMap(raw.clusters) ?? {};
  for (const [name, value] of Object.entries(clusters)) {
    const cluster = rawMap(value);
    const argoName = rawString(rawMap(cluster?.argocd)?.instance);
    const argoProblem = argoName && referenceProblem("argocd", argocd, argoName);
    if (argoProblem) {
      issues.push({
        path: ["clusters", name, "argocd", "instance"],
        message: `cluster '${name}' uses ${TITLE.argocd} instance '${argoName}', ${argoProblem}`,
      });
    }
    const promName = rawString(cluster?.prometheus);
    const promProblem = promName && referenceProblem("prometheus", prometheus, promName);
    if (promProblem) {
      issues.push({
        path: ["clusters", name, "prometheus"],
        message: `cluster '${name}' uses ${TITLE.prometheus} instance '${promName}', ${promProblem}`,
      });
    }
  }
  const checks = rawMap(raw.healthChecks) ?? {};
  for (const [name, value] of Object.entries(checks)) {
    const check = rawMap(value);
    if (check?.type !== "prometheus") continue;
    if (prometheus.kind === "none") {
      issues.push({
        path: ["healthChecks", name, "type"],
        message: `health check '${name}' queries Prometheus, but no prometheus: instance is configured: add prometheus: { url: ... }`,
      });
      continue;
    }
    const instance = rawString(check.instance);
    const problem = instance && referenceProblem("prometheus", prometheus, instance);
    if (problem) {
      issues.push({
        path: ["healthChecks", name, "instance"],
        message: `health check '${name}' uses Prometheus instance '${instance}', ${problem}`,
      });
    }
  }
  checkInstanceChoice(raw, members, argocd, prometheus, issues);
}

/** With several named instances, every gated cluster must say which one serves it. */
function checkInstanceChoice(
  raw: RawMap,
  members: WaveMembers[],
  argocd: InstanceShape,
  prometheus: InstanceShape,
  issues: ConfigIssue[],
): void {
  const clusters = rawMap(raw.clusters);
  const reported = new Set<string>();
  const missing = (
    area: "argocd" | "prometheus",
    shape: InstanceShape & { kind: "named" },
    cluster: string,
    listedAt: (string | number)[],
    reason: string,
  ) => {
    if (reported.has(`${area}/${cluster}`)) return;
    reported.add(`${area}/${cluster}`);
    const field =
      area === "argocd" ? `clusters.${cluster}.argocd.instance` : `clusters.${cluster}.prometheus`;
    const inMap = clusters && cluster in clusters;
    issues.push({
      path: inMap ? ["clusters", cluster] : listedAt,
      at: inMap ? "key" : "value",
      message: `${area}: has several instances (${shape.names.join(", ")}), so cluster '${cluster}' must name one${reason} with ${field}`,
    });
  };
  if (argocd.kind === "named" && argocd.names.length > 1) {
    for (const wave of members) {
      for (const [cluster, at] of wave.clusters) {
        const entry = rawMap(clusters?.[cluster]);
        if (!rawString(rawMap(entry?.argocd)?.instance)) missing("argocd", argocd, cluster, at, "");
      }
    }
  }
  if (prometheus.kind === "named" && prometheus.names.length > 1) {
    const checks = rawMap(raw.healthChecks) ?? {};
    const unpinned = new Set(
      Object.entries(checks)
        .filter(([, c]) => rawMap(c)?.type === "prometheus" && !rawString(rawMap(c)?.instance))
        .map(([name]) => name),
    );
    const defaults = rawStrings(rawMap(raw.defaults)?.healthChecks).map((s) => s.value);
    const waves = rawList(raw.waves);
    for (const wave of members) {
      const own = rawMap(waves[wave.index])?.healthChecks;
      const used = own === undefined ? defaults : rawStrings(own).map((s) => s.value);
      const check = used.find((name) => unpinned.has(name));
      if (!check) continue;
      for (const [cluster, at] of wave.clusters) {
        const entry = rawMap(clusters?.[cluster]);
        if (!rawString(entry?.prometheus)) {
          missing(
            "prometheus",
            prometheus,
            cluster,
            at,
            ` for health check '${check}' (or set instance: on the check)`,
          );
        }
      }
    }
  }
}
