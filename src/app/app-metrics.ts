/**
 * The app's Prometheus metrics on its own registry: active rollouts, wave outcomes, gate
 * verdicts, outward calls (from the call ledger) and GitHub's rate limit remaining.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { type CallLedger, type CallRecord, callLedger } from "../util/outward-calls.js";

export class AppMetrics {
  readonly registry = new Registry();
  readonly activeRollouts: Gauge;
  readonly pendingRetries: Gauge;
  readonly waveOutcomes: Counter<"outcome">;
  readonly gateVerdicts: Counter<"verdict">;
  readonly outwardCalls: Counter<"target" | "endpoint" | "status">;
  readonly outwardLatency: Histogram<"target">;
  readonly githubRateLimitRemaining: Gauge;
  readonly webhookEvents: Counter<"event" | "outcome">;
  private readonly unsubscribe: () => void;

  constructor(ledger: CallLedger = callLedger) {
    const registers = [this.registry];
    this.activeRollouts = new Gauge({
      name: "waves_active_rollouts",
      help: "Repositories with a rollout in flight",
      registers,
    });
    this.pendingRetries = new Gauge({
      name: "waves_pending_retries",
      help: "Failed webhook work (a rollout that could not start) waiting for another attempt",
      registers,
    });
    this.waveOutcomes = new Counter({
      name: "waves_wave_outcomes_total",
      help: "Waves finished, by outcome",
      labelNames: ["outcome"],
      registers,
    });
    this.gateVerdicts = new Counter({
      name: "waves_gate_verdicts_total",
      help: "Gate evaluations, by verdict",
      labelNames: ["verdict"],
      registers,
    });
    this.outwardCalls = new Counter({
      name: "waves_outward_calls_total",
      help: "Outward calls by target, endpoint (method and path template) and status",
      labelNames: ["target", "endpoint", "status"],
      registers,
    });
    this.outwardLatency = new Histogram({
      name: "waves_outward_call_seconds",
      help: "Outward call latency",
      labelNames: ["target"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.githubRateLimitRemaining = new Gauge({
      name: "waves_github_rate_limit_remaining",
      help: "x-ratelimit-remaining on the latest GitHub response",
      registers,
    });
    this.webhookEvents = new Counter({
      name: "waves_webhook_events_total",
      help: "Webhook events handled, by event and outcome",
      labelNames: ["event", "outcome"],
      registers,
    });
    this.unsubscribe = ledger.onRecord((record) => this.observeCall(record));
  }

  observeCall(record: CallRecord): void {
    this.outwardCalls.inc({
      target: record.target,
      endpoint: record.endpoint,
      status: String(record.status),
    });
    this.outwardLatency.observe({ target: record.target }, record.latencyMs / 1000);
    if (record.target === "github" && record.rateLimitRemaining !== undefined) {
      this.githubRateLimitRemaining.set(record.rateLimitRemaining);
    }
  }

  /**
   * Counts what a reconcile reported, reading only the fields it has: `waveOutcomes`
   * (`{ outcome }[]` or a record of counts) and `verdicts` (gate verdict strings).
   */
  observeReport(report: unknown): void {
    if (!report || typeof report !== "object") return;
    const r = report as { waveOutcomes?: unknown; verdicts?: unknown; gateVerdicts?: unknown };
    for (const outcome of listOf(r.waveOutcomes)) this.waveOutcomes.inc({ outcome });
    for (const verdict of listOf(r.verdicts ?? r.gateVerdicts)) this.gateVerdicts.inc({ verdict });
  }

  close(): void {
    this.unsubscribe();
  }
}

function listOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item) =>
      typeof item === "string"
        ? item
        : item && typeof item === "object"
          ? String(
              (item as { outcome?: unknown; status?: unknown; verdict?: unknown }).outcome ??
                (item as { status?: unknown }).status ??
                (item as { verdict?: unknown }).verdict ??
                "",
            )
          : "",
    )
    .filter((s) => s !== "");
}
