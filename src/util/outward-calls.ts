/**
 * Every outward call (GitHub, Argo CD, Prometheus, git) is recorded here: count, latency,
 * status and rate-limit headers. Metrics (`/metrics`) and the benchmarks read the same records.
 */

export type CallTarget = "github" | "argocd" | "prometheus" | "git";

export interface CallRecord {
  target: CallTarget;
  /** Method and path template, never a full URL with query values: `GET /api/v1/applications`. */
  endpoint: string;
  /** HTTP status, or `error` when no response arrived (timeout, refused). */
  status: number | "error";
  latencyMs: number;
  /** `x-ratelimit-remaining` where the target reports it. */
  rateLimitRemaining?: number;
}

type Listener = (record: CallRecord) => void;

/** Collects call records; one per process, tests and benchmarks read and reset it. */
export class CallLedger {
  private readonly records: CallRecord[] = [];
  private readonly listeners = new Set<Listener>();
  /** Keep at most this many records (the counters in listeners see all of them). */
  constructor(private readonly keep = 10_000) {}

  record(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.keep) this.records.splice(0, this.records.length - this.keep);
    for (const listener of this.listeners) listener(record);
  }

  onRecord(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): readonly CallRecord[] {
    return this.records;
  }

  count(filter: Partial<Pick<CallRecord, "target" | "endpoint" | "status">> = {}): number {
    return this.records.filter(
      (r) =>
        (filter.target === undefined || r.target === filter.target) &&
        (filter.endpoint === undefined || r.endpoint === filter.endpoint) &&
        (filter.status === undefined || r.status === filter.status),
    ).length;
  }

  reset(): void {
    this.records.length = 0;
  }
}

/** The process-wide ledger. */
export const callLedger = new CallLedger();

/**
 * Runs one outward call and records it. `endpoint` is the method and path template.
 * `statusOf` pulls the status (and rate-limit header) out of a result or an error.
 */
export async function countedCall<T>(
  target: CallTarget,
  endpoint: string,
  call: () => Promise<T>,
  statusOf: (outcome: { result?: T; error?: unknown }) => {
    status: number | "error";
    rateLimitRemaining?: number;
  },
  ledger: CallLedger = callLedger,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await call();
    ledger.record({
      target,
      endpoint,
      latencyMs: performance.now() - started,
      ...statusOf({ result }),
    });
    return result;
  } catch (error) {
    ledger.record({
      target,
      endpoint,
      latencyMs: performance.now() - started,
      ...statusOf({ error }),
    });
    throw error;
  }
}
