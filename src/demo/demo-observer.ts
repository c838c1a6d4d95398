/**
 * Turns what the demo can see — rollout PRs in the local SCM, gate outcomes, the fleet's app
 * health — into events and a snapshot for the presenters. It only watches; the engine decides.
 */
import type { FollowerEvent } from "../fleet/fleet-follower.js";
import type { GateOutcome } from "../health/types.js";
import type { PullRequest } from "../scm/port.js";
import type { DemoEvent, DemoEventKind, DemoSnapshot, WaveView } from "./demo-types.js";

const RECENT = 8;

export class DemoObserver {
  readonly events: DemoEvent[] = [];
  private readonly waves: WaveView[];
  private readonly seen = new Map<number, PullRequest>();
  private revert: DemoSnapshot["revert"];
  private readonly waveOfCluster = new Map<string, WaveView>();
  private held: DemoEvent[] | undefined;

  constructor(
    private readonly clock: () => Date,
    private readonly startedAt: Date,
    private readonly revision: string,
    /** What every cluster ran before the change. */
    readonly previousRevision: string,
    waves: { name: string; clusters: string[]; waitTimeMs: number }[],
    private readonly onEvent?: (event: DemoEvent) => void,
  ) {
    this.waves = waves.map((wave) => ({
      name: wave.name,
      clusters: wave.clusters,
      phase: "waiting",
      waitTimeMs: wave.waitTimeMs,
      checks: {},
      health: {},
    }));
    for (const wave of this.waves) {
      for (const cluster of wave.clusters) this.waveOfCluster.set(cluster, wave);
    }
  }

  emit(kind: DemoEventKind, text: string, where: { wave?: string; cluster?: string } = {}): void {
    const event: DemoEvent = { at: this.clock(), kind, text, ...where };
    if (this.held) this.held.push(event);
    else this.publish(event);
  }

  /**
   * Keeps the events that follow until {@link releaseAfter}: what a command caused is shown
   * after the line saying the command was accepted, not before it.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Emits this event, then every event held since {@link hold}. */
  releaseAfter(kind: DemoEventKind, text: string): void {
    const queued = this.held ?? [];
    this.held = undefined;
    this.emit(kind, text);
    for (const event of queued) this.publish(event);
  }

  private publish(event: DemoEvent): void {
    this.events.push(event);
    this.onEvent?.(event);
  }

  wave(name: string): WaveView | undefined {
    return this.waves.find((wave) => wave.name === name);
  }

  /** The wave a promotion PR belongs to, from its `waves:<wave>` label. */
  waveOf(pr: PullRequest): WaveView | undefined {
    return this.waves.find((wave) => pr.labels.includes(`waves:${wave.name}`));
  }

  /** Compares the rollout PRs with what was seen before and reports the differences. */
  observePullRequests(prs: PullRequest[]): void {
    for (const pr of [...prs].sort((a, b) => a.number - b.number)) {
      const before = this.seen.get(pr.number);
      this.seen.set(pr.number, pr);
      if (pr.labels.includes("waves:revert")) {
        this.observeRevert(pr, before);
        continue;
      }
      const wave = this.waveOf(pr);
      if (!wave) continue;
      const at = { wave: wave.name };
      if (!before) {
        wave.pr = pr.number;
        wave.openedAt = this.clock();
        if (wave.phase === "waiting") wave.phase = "pr-open";
        this.emit("pr-opened", `PR #${pr.number} opened: ${pr.title}`, at);
      }
      const awaiting = pr.labels.includes("waves:awaiting-approval");
      if (awaiting && pr.state === "open" && wave.phase === "pr-open") {
        wave.phase = "awaiting-approval";
        this.emit("awaiting-approval", `PR #${pr.number} waits for /approve ${wave.name}`, at);
      }
      if (pr.state === "merged" && before?.state !== "merged") {
        wave.mergedAt = this.clock();
        if (wave.phase === "pr-open" || wave.phase === "awaiting-approval") wave.phase = "baking";
        this.emit("pr-merged", `PR #${pr.number} merged (${short(pr.mergeCommitSha)})`, at);
      }
      if (pr.state === "closed" && before?.state !== "closed") {
        this.emit("pr-closed", `PR #${pr.number} closed without merging`, at);
      }
    }
  }

  private observeRevert(pr: PullRequest, before: PullRequest | undefined): void {
    if (!before) {
      this.revert = { pr: pr.number, openedAt: this.clock() };
      this.emit("revert-opened", `revert PR #${pr.number} opened: ${pr.title}`);
    }
    if (pr.state === "merged" && before?.state !== "merged" && this.revert) {
      this.revert.mergedAt = this.clock();
      for (const wave of this.waves) {
        if (wave.mergedAt && wave.phase !== "failed") wave.phase = "reverted";
      }
      this.emit(
        "revert-merged",
        `revert PR #${pr.number} merged: every cluster back on its previous revision`,
      );
    }
  }

  /** Records one gate evaluation of a wave; reports verdict changes. */
  observeGate(waveName: string, outcome: GateOutcome): void {
    const wave = this.wave(waveName);
    if (!wave) return;
    const checks: WaveView["checks"] = {};
    for (const result of outcome.results) {
      checks[result.cluster] ??= {};
      checks[result.cluster]![result.check] = { status: result.status, reason: result.reason };
    }
    const changed = outcome.results.filter((result) => {
      const old = wave.checks[result.cluster]?.[result.check];
      return old?.status !== result.status;
    });
    wave.checks = checks;
    wave.remainingMs = outcome.remainingMs;
    wave.gateReason = outcome.reason;
    for (const result of changed) {
      this.emit("gate", `${result.check}: ${result.status} — ${result.reason}`, {
        wave: wave.name,
        cluster: result.cluster,
      });
    }
    if (wave.phase === "pr-open" || wave.phase === "awaiting-approval") wave.phase = "baking";
    if (outcome.status === "pass" && wave.phase === "baking") {
      wave.phase = "passed";
      wave.concludedAt = this.clock();
      this.emit("gate", `gate passed: ${outcome.reason}`, { wave: wave.name });
    } else if (outcome.status === "fail" && wave.phase === "baking") {
      wave.phase = "failed";
      wave.concludedAt = this.clock();
      this.emit("gate", `gate FAILED: ${outcome.reason}`, { wave: wave.name });
    }
  }

  /** Argo CD health per cluster, as the fleet reports it; `quiet` for the initial state. */
  observeFleet(events: FollowerEvent[], quiet = false): void {
    for (const event of events) {
      const wave = this.waveOfCluster.get(event.cluster);
      const health =
        event.kind === "syncing"
          ? "Progressing"
          : event.kind === "healthy"
            ? "Healthy"
            : "Degraded";
      if (wave) wave.health[event.cluster] = health;
      if (quiet) continue;
      const text =
        event.kind === "syncing"
          ? `Argo CD syncing to ${short(event.pinned)}`
          : `Argo CD ${health} on ${short(event.pinned)}`;
      this.emit("sync", text, { ...(wave ? { wave: wave.name } : {}), cluster: event.cluster });
    }
  }

  approved(waveName: string, by: string): void {
    const wave = this.wave(waveName);
    if (wave) wave.approvedBy = by;
  }

  snapshot(): DemoSnapshot {
    return {
      now: this.clock(),
      startedAt: this.startedAt,
      revision: this.revision,
      waves: this.waves.map((wave) => ({ ...wave })),
      ...(this.revert ? { revert: { ...this.revert } } : {}),
      recent: this.events.slice(-RECENT),
    };
  }
}

function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : "?";
}
