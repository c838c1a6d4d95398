/**
 * The rollout domain's shapes: what the hidden PR metadata holds, the state derived from GitHub,
 * what `decide` observes and the actions it returns. No I/O here.
 */
import type { PromotionFile, WavesConfig } from "../config/waves.schema.js";
import type { GateClock, GateOutcome } from "../health/types.js";
import type { WavePlan } from "../plan/types.js";
import type { CheckConclusion, CheckRun, CheckStatus, PullRequest } from "../scm/port.js";

export const LABEL_PROMOTION = "waves:promotion";
export const LABEL_REVERT = "waves:revert";
export const LABEL_AWAITING = "waves:awaiting-approval";
export const LABEL_HALTED = "waves:halted";
export const LABEL_HELD = "waves:held";
export const LABEL_SUPERSEDED = "waves:superseded";
export const waveLabel = (wave: string) => `waves:${wave}`;
export const waveCheckName = (wave: string) => `waves / ${wave}`;
export const ROLLOUT_CHECK = "waves / rollout";
export const CONFIG_CHECK = "waves / config";
/** Marks the merge commits the app makes, so their pushes never start a rollout. */
export const MERGE_MARKER = "[waves]";

/** At least 7 hex characters, as the public contract says. */
export const shortRevision = (revision: string) => revision.slice(0, 7);
export const promotionBranch = (revision: string, wave: string) =>
  `waves/${shortRevision(revision)}/${wave}`;
export const revertBranch = (revision: string) => `waves/${shortRevision(revision)}/revert`;

/** The change a rollout ships, as its PRs describe it. */
export interface SourceInfo {
  sha: string;
  title: string;
  author: string;
  url: string;
  pullRequest?: number;
  /** Branch the change was merged to (where the configuration is read). */
  branch: string;
  /**
   * `owner/name` of the source repository when it is not the repository holding the rollout's
   * PRs (`target.repository`); absent means the same repository.
   */
  repository?: string;
}

/** One file of one cluster a promotion bumped: what a revert puts back. */
export interface BumpedFile {
  cluster: string;
  path: string;
  rule: PromotionFile;
  previous: string;
  next: string;
}

/** What every rollout PR carries, whatever its kind. */
interface MetaBase {
  v: 1;
  rolloutId: string;
  revision: string;
  source: SourceInfo;
  /** The GitOps branch the PRs merge into. */
  targetBranch: string;
  /** Paths the change touched (they pick a rotating canary again when re-planning). */
  changedPaths: string[];
  /** ISO-8601: when the rollout started. */
  startedAt: string;
}

export interface PromotionMeta extends MetaBase {
  kind: "promotion";
  wave: string;
  waveIndex: number;
  /** Every wave of the plan, in order (for the overall check). */
  waves: string[];
  clusters: string[];
  files: BumpedFile[];
  approvedBy?: string;
  /** A newer change waiting for this rollout to finish (`onNewChange: queue`; first wave only). */
  queued?: PushObservation;
}

export interface RevertMeta extends MetaBase {
  kind: "revert";
  failedWave: string;
  reason: string;
  files: BumpedFile[];
  /** Set once the halt was announced on the change's PR. */
  notified?: boolean;
}

export type RolloutMeta = PromotionMeta | RevertMeta;

/** A wave that has a promotion PR. */
export interface WaveState {
  name: string;
  index: number;
  pr: PullRequest;
  meta: PromotionMeta;
  /** The `waves / <wave>` check run on the PR head (read for the current wave only). */
  check?: CheckRun;
  /** The bake clock kept in that check run. */
  clock?: GateClock;
  /** Fingerprint of what that check run shows (see `gateSignature`). */
  signature?: string;
}

/** One rollout (one revision) as GitHub shows it. */
export interface RolloutState {
  id: string;
  revision: string;
  source: SourceInfo;
  targetBranch: string;
  changedPaths: string[];
  startedAt: string;
  waveNames: string[];
  /** Waves with a PR, by index (the newest PR when a wave has several). */
  waves: WaveState[];
  revert?: { pr: PullRequest; meta: RevertMeta };
  held: boolean;
  superseded: boolean;
  /** The `waves / rollout` check run on the source commit, when read. */
  rolloutCheck?: CheckRun;
}

/** Where a rollout stands; `finished` ones need nothing more. */
export type RolloutPhase =
  | { kind: "start" }
  | { kind: "awaiting-approval"; wave: WaveState }
  | { kind: "merging"; wave: WaveState }
  | { kind: "awaiting-merge"; wave: WaveState }
  | { kind: "gating"; wave: WaveState }
  | { kind: "passed"; wave: WaveState; next?: string }
  | { kind: "failed"; wave: WaveState }
  | { kind: "reverting"; revert: NonNullable<RolloutState["revert"]> }
  | { kind: "done" }
  | { kind: "halted"; reason: string }
  | { kind: "superseded" }
  | { kind: "closed"; reason: string };

export type CommandName = "approve" | "hold" | "resume" | "rollback" | "retry";

export interface Command {
  name: CommandName;
  wave?: string;
  /** Who asked (already authorised when it reaches `decide`). */
  actor: string;
}

/** A new change pushed to the source branch. */
export interface PushObservation {
  revision: string;
  source: SourceInfo;
  changedPaths: string[];
  targetBranch: string;
}

export interface Observations {
  /** The latest gate evaluation of the newest rollout's gating wave. */
  gate?: { wave: string; outcome: GateOutcome };
  /** An authorised command to apply now. */
  command?: Command;
  push?: PushObservation;
  /** A queued change found on the source branch head, ready to start once nothing runs. */
  queued?: PushObservation;
}

/** A check-run write as decide wants it; the engine renders the text. */
export interface WaveCheckAction {
  type: "setWaveCheck";
  rolloutId: string;
  revision: string;
  wave: string;
  headSha: string;
  status: CheckStatus;
  conclusion?: CheckConclusion;
  /** What the check says: gating, passed, failed, timed-out, awaiting-approval, merge-blocked. */
  phase:
    | "merging"
    | "gating"
    | "passed"
    | "failed"
    | "timed-out"
    | "awaiting-approval"
    | "merge-blocked";
  reason: string;
  clock?: GateClock;
  outcome?: GateOutcome;
}

export type Action =
  | { type: "openPromotionPr"; rollout: PushObservation & { startedAt: string }; wave: WavePlan }
  | { type: "mergePr"; pr: number; headSha: string; kind: "promotion" | "revert"; wave: string }
  | WaveCheckAction
  | { type: "openRevertPr"; rolloutId: string; failedWave: string; reason: string }
  | { type: "closeSuperseded"; rolloutId: string; prs: number[]; byRevision: string }
  | { type: "label"; pr: number; add: string[]; remove: string[] }
  | { type: "recordApproval"; pr: number; wave: string; by: string }
  | { type: "closePr"; pr: number; reason: string }
  | { type: "notifyHalted"; rolloutId: string }
  | { type: "queueRollout"; push: PushObservation; behind: string }
  | { type: "done"; rolloutId: string };

export type DecideConfig = WavesConfig;
