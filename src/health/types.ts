/** What one check says about one cluster. Nothing unknown ever counts as pass. */
export type Verdict = "pass" | "pending" | "fail" | "unknown";

export interface CheckResult {
  /** Check name as the wave lists it: `argocd-sync`, `pod-health`, `error-rate`… */
  check: string;
  cluster: string;
  status: Verdict;
  /** One line a person can act on: "payments-api: Degraded — CrashLoopBackOff, 6 restarts". */
  reason: string;
  /** Link to the Argo CD app or the Prometheus graph, where there is one. */
  url?: string;
}

/**
 * The bake clock, stored outside the process (in the wave's check-run output) so a restart
 * keeps it. Times are ISO-8601 strings.
 */
export interface GateClock {
  /** When the gate started (the wave's merge time). */
  startedAt: string;
  /** Since when every check on every cluster has been pass without a break. */
  greenSince?: string;
  /** Consecutive failing evaluations per `check/cluster` key (for failureLimit). */
  failures: Record<string, number>;
  /**
   * Restart counts per pod seen at the wave's merge (`cluster/app/namespace/pod`), for
   * maxRestarts. A `cluster/*` key marks a cluster whose baseline is complete: its pods missing
   * from the map had no restarts (so zeros are not stored, keeping the clock small).
   */
  restartBaseline?: Record<string, number>;
  /** Last evaluation time per check (for a check's `interval`). */
  lastRun?: Record<string, string>;
  /** The last evaluation at which every check on every cluster was pass (progressDeadline counts from here). */
  lastGreenAt?: string;
  /** Last verdict per `check/cluster`, reused while a check's `interval` is not yet due. */
  lastVerdicts?: Record<string, { status: Verdict; reason: string; url?: string }>;
}

/** The wave's verdict after one evaluation. */
export interface GateOutcome {
  status: "pass" | "pending" | "fail";
  /** Why, in one line: the worst result's reason, or how long the bake has left. */
  reason: string;
  results: CheckResult[];
  clock: GateClock;
  /** Milliseconds of bake left when pending and green; 0 when passed. */
  remainingMs?: number;
  /** True when the gate failed by reaching progressDeadline. */
  timedOut?: boolean;
}

/** What a probe is asked: one wave of one revision, at one moment. */
export interface ProbeContext {
  wave: import("../plan/types.js").WavePlan;
  /** The revision the wave's clusters pin. */
  revision: string;
  /** The promotion PR's merge commit in the GitOps repo (an app synced to it or a descendant is updated). */
  mergeCommitSha?: string;
  /** When the promotion merged (ISO-8601). */
  mergedAt?: string;
  now: Date;
  clock: GateClock;
  /** Whether `ancestor` is an ancestor of (or equal to) `descendant` in the GitOps repository. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

/** One family of checks (Argo CD, Prometheus) over every cluster of a wave. */
export interface HealthProbe {
  /** The check types this probe answers, e.g. ["argocd-sync", "pod-health"]. */
  readonly types: readonly string[];
  /**
   * True when the probe applies each check's `failureLimit` itself (through `clock.failures`).
   * Otherwise the gate counts consecutive failures for the probe's checks.
   */
  readonly countsFailures?: boolean;
  run(
    ctx: ProbeContext,
    checks: import("../plan/types.js").PlannedCheck[],
  ): Promise<{ results: CheckResult[]; clockPatch?: Partial<GateClock> }>;
}
