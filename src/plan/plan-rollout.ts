import { resolveWaveClusters } from "../config/resolve-wave-clusters.js";
import type { Wave, WavesConfig } from "../config/waves.schema.js";
import { chooseCanary } from "./choose-canary.js";
import { PlanError } from "./plan-error.js";
import { promotionFilePath } from "./promotion-paths.js";
import { resolveChecks } from "./resolve-checks.js";
import type { ClusterFile, RolloutPlan, WavePlan } from "./types.js";

export interface PlanInput {
  revision: string;
  /** Paths the change touched (pick the rotating canary). */
  changedPaths: string[];
}

/**
 * Each wave's clusters after the canary is chosen. A cluster is in one wave only: the chosen
 * canaries leave the later waves, and first-wave clusters the canary replaced move to the second
 * wave, so every cluster is still bumped exactly once.
 */
function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function waveMembers(config: WavesConfig, changedPaths: readonly string[]) {
  const resolved = resolveWaveClusters(config);
  const seen = new Set<string>();
  const members = config.waves.map((wave) => {
    const own = (resolved.get(wave.name) ?? []).filter((cluster) => !seen.has(cluster));
    for (const cluster of own) seen.add(cluster);
    return own;
  });
  const firstOwn = members[0] ?? [];
  const canary = chooseCanary(config, firstOwn, changedPaths);
  const chosen = new Set(canary.clusters);
  const displaced = firstOwn.filter((cluster) => !chosen.has(cluster));
  const result = members.map((clusters, i) =>
    i === 0 ? [...canary.clusters] : clusters.filter((cluster) => !chosen.has(cluster)),
  );
  if (displaced.length > 0) {
    // With a single wave there is nowhere to move them: they stay beside the canaries.
    if (result.length > 1) result[1] = unique([...displaced, ...result[1]!]);
    else result[0] = unique([...result[0]!, ...displaced]);
  }
  return { canary, members: result };
}

function waveFiles(config: WavesConfig, wave: Wave, clusters: readonly string[]): ClusterFile[] {
  return clusters.flatMap((cluster) =>
    config.promotion.files.map((rule) => ({
      cluster,
      path: promotionFilePath(rule.path, cluster, wave.name),
      rule,
    })),
  );
}

function planWave(config: WavesConfig, wave: Wave, clusters: string[], index: number): WavePlan {
  return {
    name: wave.name,
    index,
    clusters,
    files: waveFiles(config, wave, clusters),
    checks: resolveChecks(config, wave),
    waitTimeMs: wave.waitTime ?? config.defaults.waitTime,
    progressDeadlineMs: wave.progressDeadline ?? config.defaults.progressDeadline,
    requireApproval: wave.requireApproval,
    autoMerge: wave.autoMerge,
    approvers: {
      users: [...(wave.approvers?.users ?? [])],
      teams: [...(wave.approvers?.teams ?? [])],
    },
    allowSelfApproval: wave.allowSelfApproval,
  };
}

/**
 * The ordered waves a revision goes through: clusters (listed and by selector, canary strategy
 * applied), the files each promotion commit bumps, checks, timings and approvals. Pure; throws a
 * PlanError naming the wave or cluster when the configuration cannot be planned.
 */
export function planRollout(config: WavesConfig, input: PlanInput): RolloutPlan {
  if (input.revision.trim() === "") throw new PlanError("the revision is empty");
  const { canary, members } = waveMembers(config, input.changedPaths);
  const waves: WavePlan[] = [];
  const skipped: { name: string; reason: string }[] = [];
  config.waves.forEach((wave, i) => {
    const clusters = members[i] ?? [];
    if (clusters.length === 0) {
      const reason =
        i === 0
          ? "it has no clusters"
          : "all its clusters are this change's canaries, which run in the first wave";
      skipped.push({ name: wave.name, reason });
      return;
    }
    waves.push(planWave(config, wave, clusters, waves.length));
  });
  if (waves.length === 0) throw new PlanError("no wave has any cluster to promote");
  return { revision: input.revision, waves, canary, skipped };
}
