import type { HealthCheck, PromotionFile } from "../config/waves.schema.js";

/** One file of one cluster that a wave's promotion commit bumps. */
export interface ClusterFile {
  cluster: string;
  /** Path relative to the target repository root, `{cluster}` already substituted. */
  path: string;
  /** The promotion file rule it came from. */
  rule: PromotionFile;
}

/** A health check as a wave runs it: built-in or custom, resolved by name. */
export interface PlannedCheck {
  name: string;
  spec: HealthCheck;
}

/** One wave, resolved: the clusters it holds and what its promotion changes. */
export interface WavePlan {
  name: string;
  /** 0-based position in the rollout. */
  index: number;
  clusters: string[];
  files: ClusterFile[];
  checks: PlannedCheck[];
  waitTimeMs: number;
  progressDeadlineMs: number;
  requireApproval: boolean;
  autoMerge: boolean;
  approvers: { users: string[]; teams: string[] };
  allowSelfApproval: boolean;
}

/** Which clusters lead the rollout, and why (for PR bodies and `waves plan`). */
export interface CanaryChoice {
  /** `first-wave`: the first wave as configured; `rotating`: picked by `canary.rules`. */
  strategy: "first-wave" | "rotating";
  clusters: string[];
  /** 1-based numbers of the `canary.rules` that matched (rotating only). */
  rules: number[];
  reason: string;
}

/** The ordered waves a revision goes through. */
export interface RolloutPlan {
  revision: string;
  waves: WavePlan[];
  /** How the first wave's clusters were chosen (set by `planRollout`). */
  canary?: CanaryChoice;
  /** Configured waves left out because nothing is left in them (e.g. all became canaries). */
  skipped?: { name: string; reason: string }[];
}
