/** What the demo runner tells its presenters (terminal, log lines, report). */
import type { Verdict } from "../health/types.js";

export interface DemoOptions {
  /** Virtual seconds per real second. */
  speed: number;
  /** Real milliseconds between reconcile ticks; the virtual clock moves speed × tickMs per tick. */
  tickMs: number;
  /** Make the change unhealthy on this wave's clusters. */
  breakWave?: string;
  /** Ask the person at the terminal for approvals instead of approving as the demo's approver. */
  interactive: boolean;
  /** Write a markdown report here. */
  reportFile?: string;
  /** Leave the sample repository in place. */
  keep: boolean;
  /** Seeds the small jitter in the healthy error rates. */
  seed: number;
  clusters: number;
  /** Where to create the sample repository (default: a new temp directory). */
  dir?: string;
}

export type DemoEventKind =
  | "start"
  | "change-merged"
  | "pr-opened"
  | "pr-merged"
  | "pr-closed"
  | "sync"
  | "gate"
  | "awaiting-approval"
  | "comment"
  | "revert-opened"
  | "revert-merged"
  | "done"
  | "halted"
  | "stuck";

export interface DemoEvent {
  /** Virtual time. */
  at: Date;
  kind: DemoEventKind;
  wave?: string;
  cluster?: string;
  text: string;
}

export type WavePhase =
  | "waiting"
  | "pr-open"
  | "awaiting-approval"
  | "baking"
  | "passed"
  | "failed"
  | "reverted";

export interface CheckCell {
  status: Verdict;
  reason: string;
}

export interface WaveView {
  name: string;
  clusters: string[];
  phase: WavePhase;
  pr?: number;
  openedAt?: Date;
  mergedAt?: Date;
  approvedBy?: string;
  /** When the gate concluded. */
  concludedAt?: Date;
  waitTimeMs: number;
  /** Bake time left (when green) as the gate last reported it. */
  remainingMs?: number;
  gateReason?: string;
  /** cluster → check → verdict. */
  checks: Record<string, Record<string, CheckCell>>;
  /** cluster → Argo CD health as the embedded fleet shows it. */
  health: Record<string, string>;
}

export interface DemoSnapshot {
  now: Date;
  startedAt: Date;
  revision: string;
  waves: WaveView[];
  revert?: { pr: number; openedAt: Date; mergedAt?: Date };
  /** Last few events, newest last. */
  recent: DemoEvent[];
}

export type DemoOutcome = "done" | "halted" | "stuck";

export interface DemoResult {
  outcome: DemoOutcome;
  /** True when the outcome is what the options asked for (done, or halted and reverted with --break). */
  expected: boolean;
  reason: string;
  revision: string;
  previousRevision: string;
  repoRoot: string;
  originDir: string;
  snapshot: DemoSnapshot;
  events: DemoEvent[];
  /** Real milliseconds the run took. */
  realMs: number;
}

export interface DemoHooks {
  /** The sample repository exists (so an interrupted run can remove it). */
  onRepoCreated?(root: string): void;
  onEvent?(event: DemoEvent): void;
  /** Called after each tick with the whole picture (for a live terminal view). */
  onFrame?(snapshot: DemoSnapshot): void;
  /** Interactive approvals: asks a question, returns the typed line (undefined: no more input). */
  ask?(question: string): Promise<string | undefined>;
}
