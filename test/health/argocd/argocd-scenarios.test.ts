/**
 * The Argo CD gates, one scenario per row, driven through the fake Argo CD server. Every row
 * asserts the exact verdict and the exact reason of every result.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WavesConfigInput } from "../../../src/config/waves.schema.js";
import { type FakeArgoCd, startFakeArgoCd } from "../../../src/fleet/argocd-server.js";
import type { SyncSimulation } from "../../../src/fleet/argocd-simulator.js";
import type { Application } from "../../../src/health/argocd/argocd-types.js";
import type { PlannedCheck } from "../../../src/plan/types.js";
import {
  CHILD,
  config,
  labelledApp,
  MERGE,
  OLD,
  PINNED,
  podCheck,
  type RunOptions,
  runProbe,
  SYNC_CHECK,
  SYNCED_AT,
  singleInstance,
  TOKEN,
  validated,
} from "./probe-harness.js";

type Expected = [check: string, cluster: string, status: string, reason: string];

interface Row {
  name: string;
  checks?: PlannedCheck[];
  clusters?: string[];
  argocd?: (a: FakeArgoCd, b: FakeArgoCd) => WavesConfigInput["argocd"];
  clusterConfig?: WavesConfigInput["clusters"];
  setup?: (a: FakeArgoCd, b: FakeArgoCd) => void;
  run?: RunOptions;
  expect: Expected[];
}

const POD = "api-3f2c1d0e9-a0";
const BOTH = [SYNC_CHECK, podCheck()];

/** Adds app `name` for `cluster` to a fake and makes it look synced as `sim` says. */
function deploy(
  fake: FakeArgoCd,
  name: string,
  sim: Partial<SyncSimulation> = {},
  app: Application = labelledApp(name, "c1"),
) {
  fake.upsertApp(app);
  fake.syncApp(name, { revision: PINNED, health: "Healthy", at: SYNCED_AT, ...sim });
  validated(fake.getApp(name)!);
}

const MULTI_SOURCES = (ours: string) => ({
  sources: [
    { repoURL: "https://github.com/acme/gitops.git", path: "apps/api", targetRevision: "main" },
    {
      repoURL: "https://github.com/acme/platform-values.git",
      targetRevision: "main",
      ref: "values",
    },
  ],
  revisions: [ours, OLD],
});

const rows: Row[] = [
  {
    name: "healthy on the pinned revision",
    setup: (a) => deploy(a, "api"),
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "healthy on the promotion's merge commit",
    setup: (a) => deploy(a, "api", { revision: MERGE }),
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "healthy on a descendant of the merge commit",
    setup: (a) => deploy(a, "api", { revision: CHILD }),
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "healthy but still on the old revision",
    setup: (a) => deploy(a, "api", { revision: OLD }),
    expect: [["argocd-sync", "c1", "pending", "api: not yet on 3f2c1d0 (on 0123456)"]],
  },
  {
    name: "synced but health stale (reconciledAt before finishedAt)",
    setup: (a) => deploy(a, "api", { reconciledAt: new Date("2026-01-01T10:04:00Z") }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "pending",
        "api: health not yet reassessed since the sync finished at 2026-01-01T10:05:00.000Z",
      ],
    ],
  },
  {
    name: "sync operation running",
    setup: (a) => deploy(a, "api", { phase: "Running", health: "Progressing" }),
    expect: [["argocd-sync", "c1", "pending", "api: sync to 3f2c1d0 running"]],
  },
  {
    name: "sync operation failed for the wave's revision",
    setup: (a) =>
      deploy(a, "api", {
        phase: "Failed",
        syncStatus: "OutOfSync",
        operationMessage:
          'one or more objects failed to apply, reason: Deployment.apps "api" is invalid',
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        'api: sync to 3f2c1d0 Failed — one or more objects failed to apply, reason: Deployment.apps "api" is invalid',
      ],
    ],
  },
  {
    name: "sync operation errored for the wave's revision",
    setup: (a) =>
      deploy(a, "api", { phase: "Error", operationMessage: "rpc error: repository not found" }),
    expect: [
      ["argocd-sync", "c1", "fail", "api: sync to 3f2c1d0 Error — rpc error: repository not found"],
    ],
  },
  {
    name: "an old revision's failed sync is history while the app is not yet updated",
    setup: (a) => deploy(a, "api", { revision: OLD, phase: "Failed", syncStatus: "OutOfSync" }),
    expect: [["argocd-sync", "c1", "pending", "api: not yet on 3f2c1d0 (on 0123456)"]],
  },
  {
    name: "Progressing (for ever is the bake clock's deadline, here pending)",
    setup: (a) =>
      deploy(a, "api", {
        health: "Progressing",
        healthMessage: "Waiting for rollout to finish: 0 of 1 updated replicas are available...",
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "pending",
        "api: Progressing — Waiting for rollout to finish: 0 of 1 updated replicas are available...",
      ],
    ],
  },
  {
    name: "Suspended",
    setup: (a) => deploy(a, "api", { health: "Suspended", healthMessage: "Rollout is paused" }),
    expect: [["argocd-sync", "c1", "pending", "api: Suspended — Rollout is paused"]],
  },
  {
    name: "Degraded (argocd-sync alone: Argo CD's health message)",
    setup: (a) =>
      deploy(a, "api", {
        health: "Degraded",
        healthMessage: 'Deployment "api" exceeded its progress deadline',
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        'api: Degraded — Deployment "api" exceeded its progress deadline',
      ],
    ],
  },
  {
    name: "Degraded with pod-health too: the reason names the pod state",
    checks: BOTH,
    setup: (a) =>
      deploy(a, "api", { health: "Degraded", podReason: "CrashLoopBackOff", restarts: 6 }),
    expect: [
      ["argocd-sync", "c1", "fail", "api: Degraded — CrashLoopBackOff, 6 restarts"],
      ["pod-health", "c1", "fail", `api: pod ${POD} CrashLoopBackOff, 6 restarts`],
    ],
  },
  {
    name: "Missing",
    setup: (a) => deploy(a, "api", { health: "Missing" }),
    expect: [["argocd-sync", "c1", "fail", "api: Missing — resources not found in the cluster"]],
  },
  {
    name: "health Unknown",
    setup: (a) => deploy(a, "api", { health: "Unknown" }),
    expect: [["argocd-sync", "c1", "unknown", "api: health Unknown"]],
  },
  {
    name: "OutOfSync with no operation",
    setup: (a) => deploy(a, "api", { phase: "none", syncStatus: "OutOfSync" }),
    expect: [
      ["argocd-sync", "c1", "pending", "api: OutOfSync with no sync running (is auto-sync off?)"],
    ],
  },
  {
    name: "ComparisonError",
    setup: (a) =>
      deploy(a, "api", {
        conditions: [
          {
            type: "ComparisonError",
            message: "rpc error: code = Unknown desc = kustomize build failed: missing file",
          },
        ],
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        "api: ComparisonError — rpc error: code = Unknown desc = kustomize build failed: missing file",
      ],
    ],
  },
  {
    name: "an Argo CD message with credentials and a mention is made safe",
    setup: (a) =>
      deploy(a, "api", {
        conditions: [
          {
            type: "ComparisonError",
            message:
              "failed to fetch https://bot:ghp_abcdefghijklmnopqrstuvwxyz012345@github.com/acme/gitops.git, ask @alice",
          },
        ],
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        "api: ComparisonError — failed to fetch https://***@\u200dgithub.com/acme/gitops.git, ask @\u200dalice",
      ],
    ],
  },
  {
    name: "InvalidSpecError",
    setup: (a) =>
      deploy(a, "api", {
        conditions: [
          {
            type: "InvalidSpecError",
            message: "application destination is not allowed in project 'default'",
          },
        ],
      }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        "api: InvalidSpecError — application destination is not allowed in project 'default'",
      ],
    ],
  },
  {
    name: "no apps matched",
    checks: BOTH,
    setup: (a) => deploy(a, "api", {}, labelledApp("api", "other-cluster")),
    expect: [
      ["argocd-sync", "c1", "fail", "no Argo CD applications match selector cluster=c1"],
      ["pod-health", "c1", "fail", "no Argo CD applications match selector cluster=c1"],
    ],
  },
  {
    name: "one of three expected apps missing",
    clusterConfig: { c1: { argocd: { expectedApps: 3 } } },
    setup: (a) => {
      deploy(a, "api");
      deploy(a, "web", {}, labelledApp("web", "c1"));
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "fail",
        "only 2 of 3 expected applications match selector cluster=c1 (found: api, web)",
      ],
    ],
  },
  {
    name: "the worst of several apps wins and says how many more",
    setup: (a) => {
      deploy(a, "api", { health: "Degraded", healthMessage: "boom" });
      deploy(a, "web", { health: "Degraded", healthMessage: "bang" }, labelledApp("web", "c1"));
      deploy(a, "worker", { health: "Progressing" }, labelledApp("worker", "c1"));
    },
    expect: [["argocd-sync", "c1", "fail", "api: Degraded — boom (+1 more failing)"]],
  },
  {
    name: "several healthy apps",
    checks: BOTH,
    setup: (a) => {
      deploy(a, "api", { pods: 2 });
      deploy(a, "web", { pods: 3 }, labelledApp("web", "c1"));
    },
    expect: [
      ["argocd-sync", "c1", "pass", "2 apps Synced to 3f2c1d0, Healthy"],
      ["pod-health", "c1", "pass", "5 pods ready in 2 apps"],
    ],
  },
  {
    name: "cluster connection failed",
    checks: BOTH,
    setup: (a) => {
      const server = "https://c1.k8s.example:6443";
      deploy(a, "api", {}, labelledApp("api", "c1", { destination: { server, namespace: "api" } }));
      a.setCluster(server, "Failed", {
        name: "c1",
        message: "dial tcp 10.0.0.1:6443: i/o timeout",
      });
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD cannot reach cluster c1: dial tcp 10.0.0.1:6443: i/o timeout",
      ],
      [
        "pod-health",
        "c1",
        "unknown",
        "Argo CD cannot reach cluster c1: dial tcp 10.0.0.1:6443: i/o timeout",
      ],
    ],
  },
  {
    name: "multi-source app: the GitOps repo source on the merge commit, the other on anything",
    run: { gitopsRepos: ["acme/gitops"] },
    setup: (a) => {
      const { sources, revisions } = MULTI_SOURCES(MERGE);
      deploy(a, "api", { revisions }, labelledApp("api", "c1", { sources }));
    },
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "multi-source app: the GitOps repo source still on the old revision",
    run: { gitopsRepos: ["acme/gitops"] },
    setup: (a) => {
      const { sources } = MULTI_SOURCES(OLD);
      deploy(a, "api", { revisions: [OLD, MERGE] }, labelledApp("api", "c1", { sources }));
    },
    expect: [["argocd-sync", "c1", "pending", "api: not yet on 3f2c1d0 (on 0123456)"]],
  },
  {
    name: "multi-source app, GitOps repo unknown: one source on the revision is enough",
    setup: (a) => {
      const { sources, revisions } = MULTI_SOURCES(CHILD);
      deploy(a, "api", { revisions }, labelledApp("api", "c1", { sources }));
    },
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "CrashLoopBackOff pod under a Healthy app",
    checks: BOTH,
    setup: (a) => deploy(a, "api", { podReason: "CrashLoopBackOff", restarts: 6 }),
    expect: [
      ["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"],
      ["pod-health", "c1", "fail", `api: pod ${POD} CrashLoopBackOff, 6 restarts`],
    ],
  },
  {
    name: "ImagePullBackOff pod",
    checks: [podCheck()],
    setup: (a) => deploy(a, "api", { podReason: "ImagePullBackOff" }),
    expect: [["pod-health", "c1", "fail", `api: pod ${POD} ImagePullBackOff`]],
  },
  {
    name: "OOMKilled pod",
    checks: [podCheck(5)],
    setup: (a) => deploy(a, "api", { podReason: "OOMKilled", restarts: 2 }),
    expect: [["pod-health", "c1", "fail", `api: pod ${POD} OOMKilled, 2 restarts`]],
  },
  {
    name: "not-ready pod",
    checks: [podCheck()],
    setup: (a) => deploy(a, "api", { health: "Progressing" }),
    expect: [
      [
        "pod-health",
        "c1",
        "pending",
        `api: pod ${POD} not ready (0/1 containers ready, ContainerCreating)`,
      ],
    ],
  },
  {
    name: "restart count grown over maxRestarts since the merge",
    checks: [podCheck(2)],
    run: { clock: { restartBaseline: { [`c1/api/api/${POD}`]: 1 } } },
    setup: (a) => deploy(a, "api", { restarts: 5, podCreatedAt: new Date("2026-01-01T09:00:00Z") }),
    expect: [
      [
        "pod-health",
        "c1",
        "fail",
        `api: pod ${POD} restarted 4 times since the wave merged (max 2)`,
      ],
    ],
  },
  {
    name: "restarts within maxRestarts",
    checks: [podCheck(2)],
    run: { clock: { restartBaseline: { [`c1/api/api/${POD}`]: 1 } } },
    setup: (a) => deploy(a, "api", { restarts: 3, podCreatedAt: new Date("2026-01-01T09:00:00Z") }),
    expect: [["pod-health", "c1", "pass", "1 pod ready in 1 app"]],
  },
  {
    name: "a pod created after the merge counts restarts from zero",
    checks: [podCheck()],
    setup: (a) => deploy(a, "api", { restarts: 3, podCreatedAt: SYNCED_AT }),
    expect: [
      [
        "pod-health",
        "c1",
        "fail",
        `api: pod ${POD} restarted 3 times since the wave merged (max 0)`,
      ],
    ],
  },
  {
    name: "Argo CD 401 (wrong token)",
    checks: BOTH,
    run: { env: { ARGOCD_TOKEN: "not-the-right-token" } },
    setup: (a) => deploy(a, "api"),
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD refused GET /api/v1/applications (HTTP 401); check the token in ARGOCD_TOKEN: no session information",
      ],
      [
        "pod-health",
        "c1",
        "unknown",
        "Argo CD refused GET /api/v1/applications (HTTP 401); check the token in ARGOCD_TOKEN: no session information",
      ],
    ],
  },
  {
    name: "Argo CD 403",
    setup: (a) => {
      deploy(a, "api");
      a.failNext({
        path: "/api/v1/applications",
        status: 403,
        body: JSON.stringify({
          error: "permission denied: applications, get",
          code: 7,
          message: "permission denied: applications, get",
        }),
      });
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD refused GET /api/v1/applications (HTTP 403); check the token in ARGOCD_TOKEN: permission denied: applications, get",
      ],
    ],
  },
  {
    name: "token environment variable not set",
    run: { env: {} },
    setup: (a) => deploy(a, "api"),
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD token missing: environment variable ARGOCD_TOKEN is not set",
      ],
    ],
  },
  {
    name: "Argo CD 500 on every attempt",
    setup: (a) => {
      deploy(a, "api");
      a.failNext({ path: "/api/v1/applications", status: 500, times: 3 });
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD failed GET /api/v1/applications (HTTP 500): injected failure",
      ],
    ],
  },
  {
    name: "Argo CD 500 once, then the retry succeeds",
    setup: (a) => {
      deploy(a, "api");
      a.failNext({ path: "/api/v1/applications", status: 503 });
    },
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "Argo CD hangs (timeout)",
    run: { timeoutMs: 150 },
    setup: (a) => {
      deploy(a, "api");
      a.failNext({ path: "/api/v1/applications", hang: true, times: 3 });
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD did not answer GET /api/v1/applications within 150ms",
      ],
    ],
  },
  {
    name: "malformed JSON",
    setup: (a) => {
      deploy(a, "api");
      a.failNext({ path: "/api/v1/applications", status: 200, body: '{"items": [ {"metadata": ' });
    },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "Argo CD answered GET /api/v1/applications with a body that is not JSON",
      ],
    ],
  },
  {
    name: "resource tree unavailable for one app",
    checks: [podCheck()],
    setup: (a) => {
      deploy(a, "api");
      a.failNext({ path: "/api/v1/applications/api/resource-tree", status: 500, times: 3 });
    },
    expect: [
      [
        "pod-health",
        "c1",
        "unknown",
        "api: resource tree unavailable — Argo CD failed GET /api/v1/applications/{name}/resource-tree (HTTP 500): injected failure",
      ],
    ],
  },
  {
    name: "selection by destination name (matched by name or through the cluster list's server)",
    clusterConfig: { c1: { argocd: { destinationName: "prod-eu" } } },
    setup: (a) => {
      a.setCluster("https://10.0.0.5:6443", "Successful", { name: "prod-eu" });
      deploy(
        a,
        "api",
        {},
        labelledApp("api", "x", { destination: { name: "prod-eu", namespace: "api" } }),
      );
      deploy(
        a,
        "web",
        {},
        labelledApp("web", "x", {
          destination: { server: "https://10.0.0.5:6443", namespace: "web" },
        }),
      );
      deploy(
        a,
        "other",
        { health: "Degraded" },
        labelledApp("other", "c1", { destination: { name: "prod-us", namespace: "o" } }),
      );
    },
    expect: [["argocd-sync", "c1", "pass", "2 apps Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "selection by destination server",
    clusterConfig: { c1: { argocd: { destinationServer: "https://10.0.0.9:6443" } } },
    setup: (a) => {
      deploy(
        a,
        "api",
        { health: "Suspended" },
        labelledApp("api", "x", {
          destination: { server: "https://10.0.0.9:6443", namespace: "api" },
        }),
      );
      deploy(
        a,
        "web",
        { health: "Degraded" },
        labelledApp("web", "c1", {
          destination: { server: "https://10.0.0.1:6443", namespace: "web" },
        }),
      );
    },
    expect: [["argocd-sync", "c1", "pending", "api: Suspended"]],
  },
  {
    name: "per-cluster appSelector overrides the instance's",
    argocd: (a) => singleInstance(a, { appSelector: "app.kubernetes.io/instance={cluster}" }),
    clusterConfig: { c1: { argocd: { appSelector: "team=dev,cluster={cluster}" } } },
    setup: (a) => {
      deploy(a, "api", {}, labelledApp("api", "c1", { labels: { cluster: "c1", team: "dev" } }));
      deploy(
        a,
        "web",
        { health: "Degraded" },
        labelledApp("web", "c1", { labels: { cluster: "c1" } }),
      );
    },
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "the instance's appSelector with {cluster}",
    argocd: (a) => singleInstance(a, { appSelector: "app.kubernetes.io/instance={cluster}" }),
    setup: (a) => {
      deploy(
        a,
        "api",
        {},
        labelledApp("api", "c1", { labels: { "app.kubernetes.io/instance": "c1" } }),
      );
      deploy(a, "web", { health: "Degraded" }, labelledApp("web", "c1"));
    },
    expect: [["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"]],
  },
  {
    name: "two named instances, each cluster on its own",
    clusters: ["c1", "c2"],
    argocd: (a, b) => ({
      eu: { url: a.url, tokenEnv: "ARGOCD_TOKEN" },
      us: { url: b.url, tokenEnv: "EU_TOKEN" },
    }),
    clusterConfig: { c1: { argocd: { instance: "eu" } }, c2: { argocd: { instance: "us" } } },
    setup: (a, b) => {
      deploy(a, "api");
      deploy(a, "api-c2", { health: "Healthy" }, labelledApp("api-c2", "c2"));
      deploy(
        b,
        "api",
        { health: "Degraded", healthMessage: "1 of 2 pods crashing" },
        labelledApp("api", "c2"),
      );
    },
    expect: [
      ["argocd-sync", "c1", "pass", "api: Synced to 3f2c1d0, Healthy"],
      ["argocd-sync", "c2", "fail", "api: Degraded — 1 of 2 pods crashing"],
    ],
  },
  {
    name: "named instances: a cluster names one that does not exist",
    argocd: (a, b) => ({ eu: { url: a.url }, us: { url: b.url } }),
    clusterConfig: { c1: { argocd: { instance: "asia" } } },
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        'clusters.c1.argocd.instance names "asia", which is not under argocd (known: eu, us)',
      ],
    ],
  },
  {
    name: "named instances: a cluster names none",
    argocd: (a, b) => ({ eu: { url: a.url }, us: { url: b.url } }),
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "several Argo CD instances are configured: set clusters.c1.argocd.instance to one of eu, us",
      ],
    ],
  },
  {
    name: "no Argo CD configured",
    argocd: () => undefined,
    expect: [
      [
        "argocd-sync",
        "c1",
        "unknown",
        "no Argo CD configured: add argocd.url to .github/waves.yml",
      ],
    ],
  },
];

describe("Argo CD gate scenarios", () => {
  let a: FakeArgoCd;
  let b: FakeArgoCd;
  beforeAll(async () => {
    a = await startFakeArgoCd({ token: TOKEN });
    b = await startFakeArgoCd({ token: TOKEN });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  it("has at least 30 scenarios", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)("$name", async (row) => {
    row.setup?.(a, b);
    const clusters = row.clusters ?? ["c1"];
    const argocd = row.argocd ? row.argocd(a, b) : singleInstance(a);
    const cfg = config(argocd, clusters, row.clusterConfig ? { clusters: row.clusterConfig } : {});
    const { results } = await runProbe(cfg, clusters, row.checks ?? [SYNC_CHECK], row.run);
    const got = results.map((r) => [r.check, r.cluster, r.status, r.reason]);
    expect(got).toEqual(row.expect);
    for (const result of results) expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
