/**
 * The Argo CD probe: answers `argocd-sync` and `pod-health` for every cluster of a wave with
 * one application list call per Argo CD instance, one cluster list call per instance, and (for
 * pod-health) one resource-tree call per application of the wave, at most `concurrency` at once.
 */
import type { WavesConfig } from "../../config/waves.schema.js";
import type { PlannedCheck } from "../../plan/types.js";
import { type Logger, silentLogger } from "../../util/logger.js";
import { mapLimit } from "../../util/map-limit.js";
import type { CallLedger } from "../../util/outward-calls.js";
import type { CheckResult, GateClock, HealthProbe, ProbeContext } from "../types.js";
import { type ArgoCdClient, createArgoCdClient } from "./argocd-client.js";
import type { Application } from "./argocd-types.js";
import {
  argoCdInstances,
  type ClusterTarget,
  type InstanceRef,
  resolveClusterTarget,
} from "./cluster-targets.js";
import {
  appsProblem,
  type ClusterApps,
  podHealthFinding,
  syncFinding,
  type TreeOutcome,
} from "./cluster-verdicts.js";
import type { Finding } from "./finding.js";
import { errorText, type OkTarget, selectApps, takeSnapshot } from "./instance-snapshot.js";
import {
  appRevisionState,
  createRevisionMatcher,
  type RevisionMatcher,
  shortRevision,
} from "./revision-match.js";

export interface ArgoCdProbeOptions {
  config: WavesConfig;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Resource-tree calls in flight at once (default 8). */
  concurrency?: number;
  /** Link to an app in the Argo CD UI (default `<argocd>/applications/<namespace>/<name>`). */
  appUrl?: (instanceUrl: string, app: Application) => string;
  /** GitOps repositories (`owner/name`) whose sources count for multi-source apps; default `target.repository`. */
  gitopsRepos?: string[];
  /** Per HTTP attempt (default 10s), retries on transient errors (default 2), first backoff (200ms). */
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  ledger?: CallLedger;
}

export const ARGOCD_CHECK_TYPES = ["argocd-sync", "pod-health"] as const;

export function defaultAppUrl(instanceUrl: string, app: Application): string {
  const base = instanceUrl.replace(/\/+$/, "");
  const ns = encodeURIComponent(app.metadata.namespace ?? "argocd");
  return `${base}/applications/${ns}/${encodeURIComponent(app.metadata.name)}`;
}

interface ClusterView {
  target: ClusterTarget;
  /** Set when the whole cluster is unknown (Argo CD error, connection failed). */
  unknown?: string;
  apps: Application[];
}

function treeKey(instance: string, app: Application): string {
  return `${instance}/${app.metadata.namespace ?? ""}/${app.metadata.name}`;
}

export function createArgoCdProbe(options: ArgoCdProbeOptions): HealthProbe {
  const logger = options.logger ?? silentLogger;
  const concurrency = options.concurrency ?? 8;
  const appUrl = options.appUrl ?? defaultAppUrl;
  const instances = argoCdInstances(options.config);
  const repos =
    options.gitopsRepos ??
    (options.config.target.repository ? [options.config.target.repository] : []);
  const clients = new Map<string, ArgoCdClient>();

  const clientFor = (instance: InstanceRef): ArgoCdClient => {
    let client = clients.get(instance.name);
    if (!client) {
      client = createArgoCdClient({
        url: instance.url,
        env: options.env,
        ...(instance.tokenEnv ? { tokenEnv: instance.tokenEnv } : {}),
        ...(instance.insecure ? { insecure: true } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.ledger ? { ledger: options.ledger } : {}),
      });
      clients.set(instance.name, client);
    }
    return client;
  };

  async function observe(clusters: readonly string[]): Promise<ClusterView[]> {
    const targets = clusters.map((c) => resolveClusterTarget(options.config, instances, c));
    const byInstance = new Map<string, OkTarget[]>();
    for (const target of targets) {
      if (!target.ok) continue;
      byInstance.set(target.instance.name, [
        ...(byInstance.get(target.instance.name) ?? []),
        target,
      ]);
    }
    const snapshots = new Map(
      await Promise.all(
        [...byInstance].map(async ([name, group]) => {
          const snapshot = await takeSnapshot(clientFor(group[0]!.instance), group, logger);
          return [name, snapshot] as const;
        }),
      ),
    );
    return targets.map((target): ClusterView => {
      if (!target.ok) return { target, unknown: target.reason, apps: [] };
      const snapshot = snapshots.get(target.instance.name)!;
      if (!snapshot.ok) return { target, unknown: snapshot.reason, apps: [] };
      const apps = selectApps(snapshot.apps, target, snapshot.clusters);
      const failed = snapshot.clusters.failedConnection(target, apps);
      return failed ? { target, unknown: failed, apps } : { target, apps };
    });
  }

  /**
   * Apps whose desired revision is not the wave's yet, with the pending reason: their pods are
   * the old revision's, so pod-health waits for them (and reads no resource tree for them).
   */
  async function notOnRevision(
    views: readonly ClusterView[],
    matches: RevisionMatcher,
    revision: string,
  ): Promise<Map<string, string>> {
    const waiting = new Map<string, string>();
    for (const view of views) {
      if (view.unknown || !view.target.ok) continue;
      for (const app of view.apps) {
        const state = await appRevisionState(app, matches, repos);
        if (state.updated) continue;
        const at = state.current ? `on ${shortRevision(state.current)}` : "no revision reported";
        waiting.set(
          treeKey(view.target.instance.name, app),
          `${app.metadata.name}: pods not judged until it is on ${shortRevision(revision)} (${at})`,
        );
      }
    }
    return waiting;
  }

  async function fetchTrees(
    views: readonly ClusterView[],
    skip: ReadonlyMap<string, string>,
  ): Promise<Map<string, TreeOutcome>> {
    const wanted = new Map<string, { target: OkTarget; app: Application }>();
    for (const view of views) {
      if (view.unknown || !view.target.ok) continue;
      for (const app of view.apps) {
        const key = treeKey(view.target.instance.name, app);
        if (!skip.has(key)) wanted.set(key, { target: view.target, app });
      }
    }
    const entries = [...wanted];
    const outcomes = await mapLimit(entries, concurrency, async ([, { target, app }]) => {
      try {
        const tree = await clientFor(target.instance).resourceTree(
          app.metadata.name,
          app.metadata.namespace,
        );
        return { ok: true, tree } as TreeOutcome;
      } catch (error) {
        return { ok: false, reason: errorText(error) } as TreeOutcome;
      }
    });
    return new Map(entries.map(([key], i) => [key, outcomes[i]!]));
  }

  return {
    types: ARGOCD_CHECK_TYPES,

    async run(ctx: ProbeContext, checks: PlannedCheck[]) {
      const syncChecks = checks.filter((c) => c.spec.type === "argocd-sync");
      const podChecks = checks.filter((c) => c.spec.type === "pod-health");
      if (syncChecks.length + podChecks.length === 0) return { results: [] };

      const views = await observe(ctx.wave.clusters);
      const matches = createRevisionMatcher({
        revision: ctx.revision,
        isAncestor: (a, d) => ctx.isAncestor(a, d),
        ...(ctx.mergeCommitSha ? { mergeCommitSha: ctx.mergeCommitSha } : {}),
      });
      const waiting =
        podChecks.length > 0
          ? await notOnRevision(views, matches, ctx.revision)
          : new Map<string, string>();
      const trees =
        podChecks.length > 0 ? await fetchTrees(views, waiting) : new Map<string, TreeOutcome>();
      const mergedAt = ctx.mergedAt ? new Date(ctx.mergedAt) : undefined;
      const baseline = ctx.clock.restartBaseline ?? {};
      const newBaseline: Record<string, number> = {};
      const results: CheckResult[] = [];

      for (const view of views) {
        const cluster = view.target.cluster;
        const push = (check: PlannedCheck, finding: Finding) =>
          results.push({
            check: check.name,
            cluster,
            status: finding.status,
            reason: finding.reason,
            ...(finding.url ? { url: finding.url } : {}),
          });
        if (view.unknown || !view.target.ok) {
          const reason = view.unknown ?? "Argo CD not configured";
          for (const check of [...syncChecks, ...podChecks])
            push(check, { status: "unknown", reason });
          continue;
        }
        const target = view.target;
        const apps: ClusterApps = {
          target,
          apps: view.apps,
          treeOf: (app) => trees.get(treeKey(target.instance.name, app)),
          waitingFor: (app) => waiting.get(treeKey(target.instance.name, app)),
          link: (app) => appUrl(target.instance.url, app),
        };
        const problem = appsProblem(apps);
        for (const check of podChecks) {
          if (problem) {
            push(check, problem);
            continue;
          }
          const maxRestarts = check.spec.type === "pod-health" ? check.spec.maxRestarts : 0;
          const pods = podHealthFinding(apps, {
            maxRestarts,
            baseline,
            ...(mergedAt ? { mergedAt } : {}),
          });
          Object.assign(newBaseline, pods.newBaseline);
          push(check, pods.finding);
        }
        if (syncChecks.length === 0) continue;
        const finding =
          problem ?? (await syncFinding(apps, { revision: ctx.revision, matches, repos }));
        for (const check of syncChecks) push(check, finding);
      }

      // Stable order for check runs and tests: the wave's cluster order, then the checks' order.
      const clusterOrder = new Map(ctx.wave.clusters.map((c, i) => [c, i]));
      const checkOrder = new Map(checks.map((c, i) => [c.name, i]));
      results.sort(
        (x, y) =>
          (clusterOrder.get(x.cluster) ?? 0) - (clusterOrder.get(y.cluster) ?? 0) ||
          (checkOrder.get(x.check) ?? 0) - (checkOrder.get(y.check) ?? 0),
      );
      logger.debug(
        { wave: ctx.wave.name, clusters: views.length, results: results.length },
        "argocd probe evaluated",
      );
      if (Object.keys(newBaseline).length === 0) return { results };
      const clockPatch: Partial<GateClock> = { restartBaseline: { ...baseline, ...newBaseline } };
      return { results, clockPatch };
    },
  };
}
