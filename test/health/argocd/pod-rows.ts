/** pod-health: broken, unready and restarting pods. */
import { podCheck, SYNCED_AT } from "./probe-harness.js";
import { BOTH, deploy, POD, type Row } from "./scenario-table.js";

export const podRows: Row[] = [
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
];
