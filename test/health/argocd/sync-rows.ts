/** Application states: revisions, operations, health, conditions, multi-source apps. */
import { CHILD, labelledApp, MERGE, OLD } from "./probe-harness.js";
import { BOTH, deploy, MULTI_SOURCES, POD, type Row } from "./scenario-table.js";

export const syncRows: Row[] = [
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
];
