import picomatch from "picomatch";
import type { WavesConfig } from "../config/waves.schema.js";
import type { CanaryChoice } from "./types.js";

function unique(names: Iterable<string>): string[] {
  return [...new Set(names)];
}

/**
 * The canary clusters for a change. Without `canary:` they are the first wave's own clusters.
 * With it, every rule that some changed path matches contributes its clusters (union, rule
 * order); when none matches, `canary.fallback`, else the first wave's own clusters.
 */
export function chooseCanary(
  config: WavesConfig,
  firstWaveClusters: readonly string[],
  changedPaths: readonly string[],
): CanaryChoice {
  const canary = config.canary;
  if (!canary) {
    return {
      strategy: "first-wave",
      clusters: [...firstWaveClusters],
      rules: [],
      reason: "the first wave's clusters",
    };
  }
  const matched: number[] = [];
  const clusters: string[] = [];
  canary.rules.forEach((rule, i) => {
    const isMatch = picomatch(rule.paths, { dot: true });
    if (changedPaths.some((path) => isMatch(path))) {
      matched.push(i + 1);
      clusters.push(...rule.clusters);
    }
  });
  if (matched.length > 0) {
    const which = matched.map((n) => `${n} (${canary.rules[n - 1]!.paths.join(", ")})`);
    return {
      strategy: "rotating",
      clusters: unique(clusters),
      rules: matched,
      reason: `the change matches canary rule ${which.join(" and ")}`,
    };
  }
  if (canary.fallback && canary.fallback.length > 0) {
    return {
      strategy: "rotating",
      clusters: unique(canary.fallback),
      rules: [],
      reason: "no canary rule matches the change: canary.fallback",
    };
  }
  return {
    strategy: "rotating",
    clusters: [...firstWaveClusters],
    rules: [],
    reason: "no canary rule matches the change and there is no fallback: the first wave's clusters",
  };
}
