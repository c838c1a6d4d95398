/**
 * One evaluation's view of one Argo CD instance: a single application list call serving every
 * cluster of the wave on it (server-side `selector` only when one selector covers them all),
 * plus the cluster list for connection states. Apps are then picked per cluster on our side.
 */
import type { Logger } from "../../util/logger.js";
import { redact } from "../../util/redact.js";
import type { ArgoCdClient } from "./argocd-client.js";
import type { Application, ArgoCluster } from "./argocd-types.js";
import type { AppMatch, ClusterTarget } from "./cluster-targets.js";
import { oneLine } from "./finding.js";
import { matchesSelector, unionSelector } from "./label-selector.js";

export type OkTarget = Extract<ClusterTarget, { ok: true }>;

export type InstanceSnapshot =
  | { ok: true; apps: AppIndex; clusters: ClusterIndex }
  | { ok: false; reason: string };

export function errorText(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

export async function takeSnapshot(
  client: ArgoCdClient,
  targets: readonly OkTarget[],
  logger: Logger,
): Promise<InstanceSnapshot> {
  const selectors = targets.map((t) =>
    t.match.kind === "selector" ? t.match.selector : undefined,
  );
  const serverSelector = selectors.every((s) => s !== undefined)
    ? unionSelector(selectors as string[])
    : undefined;
  const [apps, clusters] = await Promise.allSettled([
    client.listApplications(serverSelector),
    client.listClusters(),
  ]);
  if (apps.status === "rejected") return { ok: false, reason: errorText(apps.reason) };
  if (clusters.status === "rejected") {
    // A token may be allowed to read applications but not clusters: judge the apps anyway.
    logger.warn(
      { argocd: client.baseUrl, error: errorText(clusters.reason) },
      "Argo CD cluster list unavailable; connection states not checked",
    );
    return { ok: true, apps: new AppIndex(apps.value), clusters: new ClusterIndex() };
  }
  return { ok: true, apps: new AppIndex(apps.value), clusters: new ClusterIndex(clusters.value) };
}

function connection(cluster: ArgoCluster) {
  return cluster.info?.connectionState ?? cluster.connectionState;
}

/** Argo CD cluster entries indexed both ways, to match destinations given by name or server. */
export class ClusterIndex {
  private readonly byName = new Map<string, ArgoCluster>();
  private readonly byServer = new Map<string, ArgoCluster>();

  constructor(clusters: readonly ArgoCluster[] = []) {
    for (const cluster of clusters) {
      if (cluster.name) this.byName.set(cluster.name, cluster);
      if (cluster.server) this.byServer.set(cluster.server, cluster);
    }
  }

  serverOf(name: string): string | undefined {
    return this.byName.get(name)?.server;
  }

  nameOf(server: string): string | undefined {
    return this.byServer.get(server)?.name;
  }

  /** The first failed connection among the cluster itself and its apps' destinations. */
  failedConnection(target: OkTarget, apps: readonly Application[]): string | undefined {
    const seen = new Set<ArgoCluster>();
    const add = (cluster: ArgoCluster | undefined) => cluster && seen.add(cluster);
    add(this.byName.get(target.cluster));
    if (target.match.kind === "destination") {
      if (target.match.name) add(this.byName.get(target.match.name));
      if (target.match.server) add(this.byServer.get(target.match.server));
    }
    for (const app of apps) {
      const dest = app.spec?.destination;
      if (dest?.name) add(this.byName.get(dest.name));
      if (dest?.server) add(this.byServer.get(dest.server));
    }
    for (const cluster of seen) {
      const state = connection(cluster);
      if (state?.status === "Failed") {
        const message = state.message ? `: ${oneLine(state.message)}` : "";
        return `Argo CD cannot reach cluster ${cluster.name ?? cluster.server}${message}`;
      }
    }
    return undefined;
  }
}

function destinationMatches(
  app: Application,
  match: Extract<AppMatch, { kind: "destination" }>,
  index: ClusterIndex,
): boolean {
  const dest = app.spec?.destination ?? {};
  const nameOk =
    !match.name ||
    dest.name === match.name ||
    (dest.server !== undefined && dest.server === index.serverOf(match.name));
  const serverOk =
    !match.server ||
    dest.server === match.server ||
    (dest.name !== undefined && dest.name === index.nameOf(match.server));
  return nameOk && serverOk;
}

/**
 * The instance's applications indexed by label value and destination, so picking each cluster's
 * apps out of one big list costs what the cluster has, not what the fleet has.
 */
export class AppIndex {
  private readonly byLabel = new Map<string, Map<string, Application[]>>();
  private readonly byDestName = new Map<string, Application[]>();
  private readonly byDestServer = new Map<string, Application[]>();

  constructor(readonly apps: readonly Application[]) {
    for (const app of apps) {
      const dest = app.spec?.destination;
      if (dest?.name) push(this.byDestName, dest.name, app);
      if (dest?.server) push(this.byDestServer, dest.server, app);
    }
  }

  withLabel(key: string, value: string): readonly Application[] {
    let values = this.byLabel.get(key);
    if (!values) {
      values = new Map();
      for (const app of this.apps) {
        const labels = app.metadata.labels;
        if (labels && Object.hasOwn(labels, key)) push(values, labels[key]!, app);
      }
      this.byLabel.set(key, values);
    }
    return values.get(value) ?? [];
  }

  withDestination(name: string | undefined, server: string | undefined): Application[] {
    return [
      ...(name ? (this.byDestName.get(name) ?? []) : []),
      ...(server ? (this.byDestServer.get(server) ?? []) : []),
    ];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function candidates(
  index: AppIndex,
  target: OkTarget,
  clusters: ClusterIndex,
): readonly Application[] {
  const match = target.match;
  if (match.kind === "destination") {
    const found = [
      ...index.withDestination(match.name, match.name ? clusters.serverOf(match.name) : undefined),
      ...index.withDestination(
        match.server ? clusters.nameOf(match.server) : undefined,
        match.server,
      ),
    ];
    return [...new Set(found)];
  }
  const narrowing = match.requirements.find((req) => req.op === "in");
  if (narrowing?.op !== "in") return index.apps;
  return [...new Set(narrowing.values.flatMap((value) => index.withLabel(narrowing.key, value)))];
}

/** The cluster's applications, sorted by name so reasons are stable. */
export function selectApps(
  index: AppIndex,
  target: OkTarget,
  clusters: ClusterIndex,
): Application[] {
  const match = target.match;
  const picked = candidates(index, target, clusters).filter((app) =>
    match.kind === "selector"
      ? matchesSelector(match.requirements, app.metadata.labels)
      : destinationMatches(app, match, clusters),
  );
  return picked.sort((a, b) =>
    `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace ?? ""}/${b.metadata.name}`,
    ),
  );
}
