import type { ConfigIssue } from "./config-error.js";
import { clusterNameProblem } from "./path-template.js";
import {
  formatSelector,
  type RawMap,
  rawList,
  rawMap,
  rawString,
  rawStrings,
  selectorMatches,
} from "./raw-config.js";

/** Where each wave's clusters came from, for the checks that need membership. */
export interface WaveMembers {
  index: number;
  name: string;
  /** Cluster name → path of the list entry, or of the selector that matched it. */
  clusters: Map<string, (string | number)[]>;
}

/**
 * Wave-level cross-field checks: names, membership (listed and by selector), unknown and
 * duplicate clusters, empty waves, unsafe cluster names. Returns the members it resolved.
 */
export function checkWaves(raw: RawMap, issues: ConfigIssue[]): WaveMembers[] {
  const clusterMap = rawMap(raw.clusters);
  const known = clusterMap ? Object.keys(clusterMap) : undefined;
  if (clusterMap) {
    for (const name of Object.keys(clusterMap)) {
      const problem = clusterNameProblem(name);
      if (problem) {
        issues.push({
          path: ["clusters", name],
          at: "key",
          message: `cluster name '${name}' ${problem}, so it cannot stand in for {cluster} in a path`,
        });
      }
    }
  }
  const owner = new Map<string, string>();
  const seenNames = new Map<string, number>();
  const members: WaveMembers[] = [];
  rawList(raw.waves).forEach((item, index) => {
    const wave = rawMap(item);
    if (!wave) return;
    const name = rawString(wave.name) ?? `#${index + 1}`;
    const label = `wave '${name}'`;
    const first = seenNames.get(name);
    if (rawString(wave.name) !== undefined && first !== undefined) {
      issues.push({
        path: ["waves", index, "name"],
        message: `wave name '${name}' is used twice (first by waves[${first}]): wave names must be unique`,
      });
    } else seenNames.set(name, index);

    const clusters = new Map<string, (string | number)[]>();
    for (const { index: j, value: cluster } of rawStrings(wave.clusters)) {
      const path = ["waves", index, "clusters", j];
      const problem = clusterNameProblem(cluster);
      if (problem && !known?.includes(cluster)) {
        issues.push({
          path,
          message: `${label} lists cluster '${cluster}', whose name ${problem}`,
        });
        continue;
      }
      if (known && !known.includes(cluster)) {
        // Not fatal: DESIGN's full example lists a cluster the map has no entry for, and the map
        // only adds labels and overrides. Strict validation turns this into an error.
        issues.push({
          path,
          severity: "warning",
          message: `${label} lists cluster '${cluster}', which is not under clusters:${hint(cluster, known)}`,
        });
      }
      if (clusters.has(cluster)) {
        issues.push({ path, message: `${label} lists cluster '${cluster}' twice` });
        continue;
      }
      const other = owner.get(cluster);
      if (other !== undefined) {
        issues.push({
          path,
          message: `cluster '${cluster}' is in wave '${other}' and again in ${label}: a cluster belongs to one wave only`,
        });
        continue;
      }
      clusters.set(cluster, path);
    }

    const selector = rawMap(wave.selector);
    if (selector) {
      const path = ["waves", index, "selector"];
      if (!clusterMap) {
        issues.push({
          path,
          at: "key",
          message: `${label} has a selector but there is no clusters: map to match it against: add the clusters with their labels under clusters:`,
        });
      } else {
        const matched = Object.entries(clusterMap)
          .filter(([, cluster]) => selectorMatches(selector, rawMap(cluster)?.labels))
          .map(([clusterName]) => clusterName);
        if (matched.length === 0) {
          issues.push({
            path,
            at: "key",
            message: `${label} selector ${formatSelector(selector)} matches no cluster under clusters:`,
          });
        }
        for (const cluster of matched) {
          if (clusters.has(cluster)) continue;
          const other = owner.get(cluster);
          if (other !== undefined) {
            issues.push({
              path,
              at: "key",
              message: `${label} selector ${formatSelector(selector)} matches cluster '${cluster}', which is already in wave '${other}': a cluster belongs to one wave only`,
            });
            continue;
          }
          clusters.set(cluster, path);
        }
      }
    }

    const listed = Array.isArray(wave.clusters) ? wave.clusters.length : 0;
    const invalidList = wave.clusters !== undefined && !Array.isArray(wave.clusters);
    if (listed === 0 && !selector && !invalidList && wave.selector === undefined) {
      issues.push({
        path: wave.clusters === undefined ? ["waves", index] : ["waves", index, "clusters"],
        message: `${label} has no clusters: list them under clusters: or pick them with selector:`,
      });
    }
    for (const cluster of clusters.keys()) owner.set(cluster, name);
    members.push({ index, name, clusters });
  });
  checkCanaryClusters(raw, known, issues);
  return members;
}

function hint(cluster: string, known: readonly string[]): string {
  const close = known.find((k) => k.toLowerCase() === cluster.toLowerCase());
  return close ? ` (did you mean '${close}'?)` : "";
}

function checkCanaryClusters(
  raw: RawMap,
  known: readonly string[] | undefined,
  issues: ConfigIssue[],
): void {
  const canary = rawMap(raw.canary);
  if (!canary) return;
  const lists: { path: (string | number)[]; value: unknown; what: string }[] = [
    { path: ["canary", "fallback"], value: canary.fallback, what: "canary fallback" },
    ...rawList(canary.rules).map((rule, i) => ({
      path: ["canary", "rules", i, "clusters"],
      value: rawMap(rule)?.clusters,
      what: `canary rule ${i + 1}`,
    })),
  ];
  for (const list of lists) {
    for (const { index, value: cluster } of rawStrings(list.value)) {
      const path = [...list.path, index];
      const problem = clusterNameProblem(cluster);
      if (problem) {
        issues.push({
          path,
          message: `${list.what} lists cluster '${cluster}', whose name ${problem}`,
        });
      } else if (known && !known.includes(cluster)) {
        issues.push({
          path,
          severity: "warning",
          message: `${list.what} lists cluster '${cluster}', which is not under clusters:${hint(cluster, known)}`,
        });
      }
    }
  }
}
