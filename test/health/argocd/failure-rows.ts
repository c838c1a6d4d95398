/** Argo CD answering badly: auth, server errors, hangs, malformed bodies. */
import { podCheck } from "./probe-harness.js";
import { BOTH, deploy, type Row } from "./scenario-table.js";

export const failureRows: Row[] = [
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
];
