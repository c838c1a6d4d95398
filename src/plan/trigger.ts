import picomatch from "picomatch";
import type { WavesConfig } from "../config/waves.schema.js";
import { promotionPathMatcher } from "./promotion-paths.js";

export interface TriggerDecision {
  start: boolean;
  /** In words, for logs and `waves plan`. */
  reason: string;
  /** The changed paths that count for the rollout. */
  matched: string[];
}

function sample(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(", ");
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/**
 * Whether a push starts a rollout: some changed path matches `source.paths` (default every
 * path) and is not a promotion file (waves' own merges must not start another rollout).
 */
export function shouldStartRollout(
  config: WavesConfig,
  changedPaths: readonly string[],
  promotionPathsMatcher: (path: string) => boolean = promotionPathMatcher(config),
): TriggerDecision {
  if (changedPaths.length === 0) {
    return { start: false, reason: "the push changed no files", matched: [] };
  }
  const candidates = changedPaths.filter((path) => !promotionPathsMatcher(path));
  if (candidates.length === 0) {
    return {
      start: false,
      reason: `only promotion files changed (${sample(changedPaths)}), which never start a rollout`,
      matched: [],
    };
  }
  const globs = config.source.paths;
  if (!globs) {
    return {
      start: true,
      reason: `${candidates.length} changed file(s): ${sample(candidates)}`,
      matched: [...candidates],
    };
  }
  const isSource = picomatch(globs, { dot: true });
  const matched = candidates.filter((path) => isSource(path));
  if (matched.length === 0) {
    return {
      start: false,
      reason: `no changed file matches source.paths (${globs.join(", ")})`,
      matched: [],
    };
  }
  return {
    start: true,
    reason: `${matched.length} changed file(s) match source.paths: ${sample(matched)}`,
    matched,
  };
}
