/**
 * The `prometheus` health check: one instant query per cluster per check, evaluated at an
 * explicit time, every returned series judged against the check's condition. Errors of any
 * kind answer `unknown` (never pass); `failureLimit` and `interval` are kept in the gate clock.
 */

import type { HealthCheck, WavesConfig } from "../../config/waves.schema.js";
import type { PlannedCheck } from "../../plan/types.js";
import { type Logger, silentLogger } from "../../util/logger.js";
import { mapLimit } from "../../util/map-limit.js";
import type { CallLedger } from "../../util/outward-calls.js";
import { safeUserText } from "../../util/redact.js";
import {
  createOutwardHttpClient,
  type OutwardHttpClient,
  OutwardHttpError,
  type OutwardHttpErrorKind,
} from "../http-client.js";
import type { CheckResult, GateClock, HealthProbe, ProbeContext } from "../types.js";
import { parseCondition } from "./condition.js";
import { readInstantResult } from "./instant-result.js";
import { type Judgement, judgeSamples } from "./judge-samples.js";
import { resolvePrometheusInstance } from "./prometheus-instance.js";
import { renderQuery } from "./promql-template.js";

type PrometheusCheck = Extract<HealthCheck, { type: "prometheus" }>;

export interface PrometheusProbeOptions {
  config: Pick<WavesConfig, "prometheus" | "clusters">;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  /**
   * Evaluate queries at the wall clock (`new Date()`) instead of `ctx.now`. For a gate whose
   * bake clock is simulated but whose Prometheus is live. Default: `ctx.now`.
   */
  clockTimeForQuery?: boolean;
  /** Queries in flight at once (default 8). */
  concurrency?: number;
  /** HTTP tuning, mostly for tests. */
  http?: {
    timeoutMs?: number;
    retries?: number;
    backoffMs?: number;
    sleep?: (ms: number) => Promise<void>;
    ledger?: CallLedger;
  };
}

export const QUERY_ENDPOINT = "/api/v1/query";

const BREAKING_KINDS = new Set<OutwardHttpErrorKind>(["timeout", "unreachable", "unauthorized"]);

/** A link to the Prometheus graph page showing the query as a table at the evaluation time. */
export function prometheusGraphUrl(baseUrl: string, query: string, time: Date): string {
  const moment = time.toISOString().slice(0, 19).replace("T", " ");
  const params = new URLSearchParams({
    "g0.expr": query,
    "g0.tab": "1",
    "g0.moment_input": moment,
  });
  return `${baseUrl.replace(/\/+$/, "")}/graph?${params.toString()}`;
}

/**
 * `failureLimit`: a fail below the limit is pending and counts; pass or pending ends the
 * streak; unknown says nothing about the metric, so it neither counts nor breaks it.
 */
function countFailure(
  judgement: Judgement,
  key: string,
  limit: number,
  failures: Record<string, number>,
): Judgement {
  if (judgement.status === "fail") {
    const count = (failures[key] ?? 0) + 1;
    failures[key] = count;
    if (count < limit) {
      return {
        status: "pending",
        reason: `${count}/${limit} consecutive failures: ${judgement.reason}`,
      };
    }
    return judgement;
  }
  if (judgement.status !== "unknown" && failures[key]) failures[key] = 0;
  return judgement;
}

interface Task {
  check: PlannedCheck & { spec: PrometheusCheck };
  cluster: string;
}

export function createPrometheusProbe(options: PrometheusProbeOptions): HealthProbe {
  const log = options.logger ?? silentLogger;
  const clients = new Map<string, OutwardHttpClient>();

  function clientFor(key: string, url: string, tokenEnv: string | undefined): OutwardHttpClient {
    let client = clients.get(key);
    if (!client) {
      client = createOutwardHttpClient({
        target: "prometheus",
        baseUrl: url,
        env: options.env,
        ...(tokenEnv ? { tokenEnv } : {}),
        ...options.http,
      });
      clients.set(key, client);
    }
    return client;
  }

  async function query(
    ctx: ProbeContext,
    task: Task,
    time: Date,
    down: Map<string, string>,
  ): Promise<Judgement & { url?: string }> {
    const spec = task.check.spec;
    const choice = resolvePrometheusInstance(options.config, task.cluster, spec.instance);
    if (!choice.ok) return { status: "unknown", reason: choice.reason };
    let condition: ReturnType<typeof parseCondition>;
    try {
      condition = parseCondition(spec.condition);
    } catch (error) {
      return { status: "unknown", reason: (error as Error).message };
    }
    let promql: string;
    try {
      promql = renderQuery(spec.query, {
        cluster: task.cluster,
        wave: ctx.wave.name,
        revision: ctx.revision,
      });
    } catch (error) {
      return { status: "unknown", reason: (error as Error).message };
    }
    const client = clientFor(choice.key, choice.instance.url, choice.instance.tokenEnv);
    const url = prometheusGraphUrl(choice.instance.url, promql, time);
    const known = down.get(choice.key);
    if (known) return { status: "unknown", reason: known, url };
    let body: unknown;
    try {
      body = await client.getJson(QUERY_ENDPOINT, {
        query: { query: promql, time: (time.getTime() / 1000).toFixed(3) },
      });
    } catch (error) {
      if (!(error instanceof OutwardHttpError)) throw error;
      // A PromQL error (400 bad_data, 422 execution) carries Prometheus's own text.
      const answer = error.body !== undefined ? readInstantResult(error.body) : undefined;
      const reason =
        answer && !answer.ok && answer.reason.startsWith("PromQL error")
          ? answer.reason
          : error.message;
      log.warn(
        { check: task.check.name, cluster: task.cluster, kind: error.kind, status: error.status },
        "prometheus query failed",
      );
      // An instance that is down or refuses us is not asked again in this evaluation: with
      // many clusters, waiting out every timeout would hang the gate.
      if (BREAKING_KINDS.has(error.kind)) down.set(choice.key, reason);
      return { status: "unknown", reason, url };
    }
    const answer = readInstantResult(body);
    if (!answer.ok) return { status: "unknown", reason: answer.reason, url };
    return { ...judgeSamples(answer.samples, condition, spec.onNoData), url };
  }

  return {
    types: ["prometheus"],
    countsFailures: true,
    async run(ctx, checks) {
      const queryTime = options.clockTimeForQuery ? new Date() : ctx.now;
      const nowIso = ctx.now.toISOString();
      const failures: Record<string, number> = { ...ctx.clock.failures };
      const lastRun: Record<string, string> = { ...ctx.clock.lastRun };
      const lastVerdicts: NonNullable<GateClock["lastVerdicts"]> = { ...ctx.clock.lastVerdicts };
      const prometheusChecks = checks.filter(
        (c): c is Task["check"] => c.spec.type === "prometheus",
      );

      const reused = new Map<string, CheckResult>();
      const tasks: Task[] = [];
      for (const check of prometheusChecks) {
        const intervalMs = check.spec.interval ?? 0;
        const previous = lastRun[check.name];
        const notDue =
          intervalMs > 0 &&
          previous !== undefined &&
          ctx.now.getTime() - Date.parse(previous) < intervalMs &&
          ctx.wave.clusters.every((cluster) => lastVerdicts[`${check.name}/${cluster}`]);
        for (const cluster of ctx.wave.clusters) {
          const kept = lastVerdicts[`${check.name}/${cluster}`];
          if (notDue && kept)
            reused.set(`${check.name}/${cluster}`, { check: check.name, cluster, ...kept });
          else tasks.push({ check, cluster });
        }
        if (intervalMs > 0 && !notDue) lastRun[check.name] = nowIso;
      }

      const down = new Map<string, string>();
      const judged = await mapLimit(tasks, options.concurrency ?? 8, (task) =>
        query(ctx, task, queryTime, down),
      );
      const fresh = new Map<string, CheckResult>();
      tasks.forEach((task, index) => {
        const judgement = judged[index] as Judgement & { url?: string };
        const key = `${task.check.name}/${task.cluster}`;
        const { status, reason } = countFailure(
          judgement,
          key,
          task.check.spec.failureLimit,
          failures,
        );
        const result: CheckResult = {
          check: task.check.name,
          cluster: task.cluster,
          status,
          reason: safeUserText(reason),
          ...(judgement.url ? { url: judgement.url } : {}),
        };
        if ((task.check.spec.interval ?? 0) > 0) {
          const { check: _c, cluster: _k, ...kept } = result;
          lastVerdicts[key] = kept;
        }
        fresh.set(key, result);
      });
      const results: CheckResult[] = [];
      for (const check of prometheusChecks) {
        for (const cluster of ctx.wave.clusters) {
          const key = `${check.name}/${cluster}`;
          const result = fresh.get(key) ?? reused.get(key);
          if (result) results.push(result);
        }
      }

      const clockPatch: Partial<GateClock> = { failures };
      if (Object.keys(lastRun).length > 0) clockPatch.lastRun = lastRun;
      if (Object.keys(lastVerdicts).length > 0) clockPatch.lastVerdicts = lastVerdicts;
      return { results, clockPatch };
    },
  };
}
