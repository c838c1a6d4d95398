/** What every engine step gets: the ports, the configuration in force, and the run's report. */
import type { WavesConfig } from "../../config/waves.schema.js";
import type { HealthGate } from "../../health/health-gate.js";
import type { PullRequest, ScmPort } from "../../scm/port.js";
import type { Logger } from "../../util/logger.js";
import type { TemplateOverrides } from "../render-template.js";

export interface RolloutEnv {
  /** Repository that receives merges (config, `waves / rollout` and `waves / config` checks). */
  source: ScmPort;
  /** GitOps repository (promotion and revert PRs, `waves / <wave>` checks); may be `source`. */
  target: ScmPort;
  healthGate(config: WavesConfig): HealthGate;
  now(): Date;
  logger: Logger;
  /** The app's login, e.g. `waves[bot]`: its comments and pushes are ignored. */
  appLogin: string;
  /** Read `.github/waves/templates/<name>.md` overrides from the source repository (default true). */
  templateOverrides?: boolean;
}

/** What a reconcile (or an event) did, for logs, metrics and tests. */
export interface ReconcileReport {
  /** True while some rollout still needs the reconcile loop (baking, waiting, queued). */
  active: boolean;
  /** The newest rollout's revision and phase. */
  revision?: string;
  phase?: string;
  /** Actions executed, as `type:detail`. */
  actions: string[];
  /** Concluded waves (`passed`, `failed`, `timed-out`) for the metrics. */
  waveOutcomes: string[];
  /** Gate verdicts evaluated (`pass`, `pending`, `fail`). */
  verdicts: string[];
  /** For a push: whether it started a new rollout. */
  started?: boolean;
  /**
   * For a push: the newer rollout that already carries it (an old push delivered late, or
   * retried, after a newer change started); nothing was done for it.
   */
  includedIn?: string;
  /** Problems that stopped a step (it is retried on the next reconcile). */
  errors: string[];
}

export const emptyReport = (): ReconcileReport => ({
  active: false,
  actions: [],
  waveOutcomes: [],
  verdicts: [],
  errors: [],
});

export interface StepContext {
  env: RolloutEnv;
  config: WavesConfig;
  overrides: TemplateOverrides | undefined;
  report: ReconcileReport;
  /** PRs opened in this run, by revision (supersede comments link to the newer rollout). */
  opened: Map<string, PullRequest>;
  /** Waves whose gate was evaluated in this run (a gate is evaluated once per run). */
  evaluated: Set<string>;
  /** Why the newest rollout cannot move on (a file that cannot be bumped), shown in its check. */
  blocked?: string;
}
