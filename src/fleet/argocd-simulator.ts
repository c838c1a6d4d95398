/**
 * Builders for realistic Argo CD objects (Applications, resource trees with Pods), shaped as
 * Argo CD's API returns them. Used by the fake Argo CD server, tests, benchmarks and the demo.
 */
import type {
  Application,
  ApplicationSource,
  ApplicationTree,
  ResourceNode,
} from "../health/argocd/argocd-types.js";

export type AppHealth =
  | "Healthy"
  | "Progressing"
  | "Degraded"
  | "Suspended"
  | "Missing"
  | "Unknown";

export interface FakeAppSpec {
  name: string;
  /** Argo CD namespace of the Application (default `argocd`). */
  namespace?: string;
  labels?: Record<string, string>;
  destination?: { name?: string; server?: string; namespace?: string };
  /** Single source (default: a kustomize path in a git repository). */
  source?: ApplicationSource;
  /** Multi-source app: replaces `source`. */
  sources?: ApplicationSource[];
  project?: string;
}

/** An Application as Argo CD stores it right after creation (not yet compared). */
export function fakeApplication(spec: FakeAppSpec): Application {
  const source = spec.source ?? {
    repoURL: "https://github.com/acme/gitops.git",
    path: `apps/${spec.name}`,
    targetRevision: "HEAD",
  };
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? "argocd",
      ...(spec.labels ? { labels: { ...spec.labels } } : {}),
    },
    spec: {
      project: spec.project ?? "default",
      destination: spec.destination ?? {
        server: "https://kubernetes.default.svc",
        namespace: spec.name,
      },
      ...(spec.sources ? { sources: spec.sources } : { source }),
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: { sync: { status: "Unknown" }, health: { status: "Unknown" } },
  };
}

export interface SyncSimulation {
  /** The revision Argo CD compared to and synced (for multi-source apps use `revisions`). */
  revision: string;
  /** Per-source revisions of a multi-source app, in `spec.sources` order. */
  revisions?: string[];
  health: AppHealth;
  healthMessage?: string;
  /** Pod "Status Reason": CrashLoopBackOff, ImagePullBackOff, OOMKilled, ContainerCreating… */
  podReason?: string;
  /** Restart count of every pod. */
  restarts?: number;
  /** Number of pods (default 1). */
  pods?: number;
  /** Whether the pods' containers are ready (default: Healthy app and no pod reason). */
  ready?: boolean;
  /** Pod creation time (default `at`). */
  podCreatedAt?: Date;
  /** When the sync operation finished (or started, for a running one). */
  at: Date;
  /** Default Synced, or OutOfSync while the operation runs. */
  syncStatus?: "Synced" | "OutOfSync" | "Unknown";
  /** Operation phase (default Succeeded); `none` leaves no operationState. */
  phase?: "Succeeded" | "Running" | "Failed" | "Error" | "none";
  operationMessage?: string;
  /** When the controller last reconciled (default `at`: health is fresh). */
  reconciledAt?: Date;
  conditions?: { type: string; message: string }[];
}

const BROKEN = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "OOMKilled",
  "Error",
]);

function podMessage(reason: string, name: string): string {
  if (reason === "CrashLoopBackOff") {
    return `back-off 5m0s restarting failed container=${name} pod=${name}`;
  }
  if (reason === "ImagePullBackOff" || reason === "ErrImagePull") {
    return `Back-off pulling image "ghcr.io/acme/${name}:broken"`;
  }
  return reason;
}

/** The status block Argo CD reports after (or during) a sync. */
export function syncedStatus(
  app: Application,
  sim: SyncSimulation,
): NonNullable<Application["status"]> {
  const at = sim.at.toISOString();
  const started = new Date(sim.at.getTime() - 5_000).toISOString();
  const phase = sim.phase ?? "Succeeded";
  const multi = (app.spec?.sources?.length ?? 0) > 0;
  const revs = multi ? { revisions: sim.revisions ?? [sim.revision] } : { revision: sim.revision };
  const running = phase === "Running";
  const sources = multi ? { sources: app.spec?.sources } : { source: app.spec?.source };
  return {
    sync: {
      status: sim.syncStatus ?? (running ? "OutOfSync" : "Synced"),
      ...revs,
    },
    health: {
      status: sim.health,
      ...(sim.healthMessage ? { message: sim.healthMessage } : {}),
      lastTransitionTime: at,
    },
    ...(phase === "none"
      ? {}
      : {
          operationState: {
            operation: { sync: { ...revs } },
            phase,
            message:
              sim.operationMessage ??
              (running ? "waiting for healthy state" : "successfully synced (all tasks run)"),
            startedAt: started,
            // Argo CD always serialises syncResult.revision (empty for multi-source apps).
            ...(running
              ? {}
              : { finishedAt: at, syncResult: { revision: "", ...revs, ...sources } }),
          },
        }),
    reconciledAt: (sim.reconciledAt ?? sim.at).toISOString(),
    ...(sim.conditions
      ? { conditions: sim.conditions.map((c) => ({ ...c, lastTransitionTime: at })) }
      : {}),
    sourceType: "Kustomize",
  };
}

/** A Deployment → ReplicaSet → Pods tree with the info items Argo CD puts on pods. */
export function simulatedTree(app: Application, sim: SyncSimulation): ApplicationTree {
  const name = app.metadata.name;
  const ns = app.spec?.destination?.namespace ?? name;
  const ready = sim.ready ?? (sim.health === "Healthy" && !sim.podReason);
  const reason = sim.podReason ?? (ready ? "Running" : "ContainerCreating");
  const podHealth = BROKEN.has(reason) ? "Degraded" : ready ? "Healthy" : "Progressing";
  const created = (sim.podCreatedAt ?? sim.at).toISOString();
  const rsName = `${name}-${sim.revision.slice(0, 9).toLowerCase().padEnd(9, "x")}`;
  const deployment: ResourceNode = {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    namespace: ns,
    name,
    uid: `${name}-deploy`,
    health: {
      status:
        sim.health === "Missing" ? "Missing" : podHealth === "Healthy" ? "Healthy" : sim.health,
    },
    info: [{ name: "Revision", value: "Rev:2" }],
    resourceVersion: "1000",
    createdAt: created,
  };
  const replicaSet: ResourceNode = {
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    namespace: ns,
    name: rsName,
    uid: `${rsName}-rs`,
    parentRefs: [{ group: "apps", kind: "Deployment", namespace: ns, name, uid: deployment.uid! }],
    health: { status: podHealth === "Healthy" ? "Healthy" : "Progressing" },
    info: [{ name: "Revision", value: "Rev:2" }],
    resourceVersion: "1001",
    createdAt: created,
  };
  const pods: ResourceNode[] = Array.from({ length: sim.pods ?? 1 }, (_, i) => {
    const podName = `${rsName}-${String.fromCharCode(97 + (i % 26))}${i}`;
    const info = [
      { name: "Status Reason", value: reason },
      { name: "Node", value: "node-1" },
      { name: "Containers", value: ready ? "1/1" : "0/1" },
      ...((sim.restarts ?? 0) > 0 ? [{ name: "Restart Count", value: String(sim.restarts) }] : []),
    ];
    return {
      version: "v1",
      kind: "Pod",
      namespace: ns,
      name: podName,
      uid: `${podName}-pod`,
      parentRefs: [
        { group: "apps", kind: "ReplicaSet", namespace: ns, name: rsName, uid: replicaSet.uid! },
      ],
      info,
      health: {
        status: podHealth,
        ...(podHealth === "Degraded" ? { message: podMessage(reason, podName) } : {}),
      },
      images: [`ghcr.io/acme/${name}:${sim.revision.slice(0, 7)}`],
      resourceVersion: "1002",
      createdAt: created,
    };
  });
  const service: ResourceNode = {
    version: "v1",
    kind: "Service",
    namespace: ns,
    name,
    uid: `${name}-svc`,
    info: [{ name: "Type", value: "ClusterIP" }],
    resourceVersion: "999",
    createdAt: created,
  };
  return { nodes: [deployment, replicaSet, ...pods, service], hosts: [] };
}
