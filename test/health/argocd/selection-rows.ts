/** Which apps count for a cluster, on which Argo CD instance, and what is missing. */
import { labelledApp, singleInstance } from "./probe-harness.js";
import { BOTH, deploy, type Row } from "./scenario-table.js";

export const selectionRows: Row[] = [
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
