import { describe, expect, it } from "vitest";
import { PlanError, planRollout } from "../../src/plan/index.js";
import type { RolloutPlan } from "../../src/plan/types.js";
import { config, SEED } from "./config-helper.js";

const REV = "0123456789abcdef0123456789abcdef01234567";

/** wave → clusters, the compact shape most rows compare. */
function clustersOf(plan: RolloutPlan): Record<string, string[]> {
  return Object.fromEntries(plan.waves.map((wave) => [wave.name, wave.clusters]));
}

const ENV_CLUSTERS = `
clusters:
  canary-1: { labels: { env: canary } }
  dev-1: { labels: { env: dev, region: eu } }
  dev-2: { labels: { env: dev, region: us } }
  staging-1: { labels: { env: staging } }
  prod-eu: { labels: { env: prod, region: eu } }
  prod-us: { labels: { env: prod, region: us } }
  payments-canary: { labels: { env: prod, region: eu, team: payments } }
`;

const ROTATING = `${ENV_CLUSTERS}
canary:
  rules:
    - paths: ["base/payments/**"]
      clusters: [payments-canary]
    - paths: ["base/search/**", "charts/search/**"]
      clusters: [prod-us]
waves:
  - name: canary
    clusters: [canary-1]
  - name: dev
    selector: { env: dev }
  - name: prod
    selector: { env: prod }
`;

describe("planRollout: waves and clusters", () => {
  const rows: {
    name: string;
    yaml: string;
    changed?: string[];
    waves: Record<string, string[]>;
    skipped?: string[];
    canary?: { strategy: string; clusters: string[]; rules: number[] };
  }[] = [
    {
      name: "the seed: dedicated canary, explicit lists",
      yaml: SEED,
      waves: {
        canary: ["canary-cluster"],
        "wave-1": ["dev-cluster-1", "dev-cluster-2"],
        "wave-2": ["staging-cluster-1"],
      },
      canary: { strategy: "first-wave", clusters: ["canary-cluster"], rules: [] },
    },
    {
      name: "environment waves by selector, in clusters: map order",
      yaml: `${ENV_CLUSTERS}
waves:
  - name: canary
    selector: { env: canary }
  - name: dev
    selector: { env: dev }
  - name: staging
    selector: { env: staging }
  - name: prod
    selector: { env: prod }
`,
      waves: {
        canary: ["canary-1"],
        dev: ["dev-1", "dev-2"],
        staging: ["staging-1"],
        prod: ["prod-eu", "prod-us", "payments-canary"],
      },
    },
    {
      name: "selector with two labels plus an explicit list",
      yaml: `${ENV_CLUSTERS}
waves:
  - name: first
    clusters: [staging-1, canary-1]
  - name: eu
    selector: { env: prod, region: eu }
    clusters: [dev-2]
`,
      waves: { first: ["canary-1", "staging-1"], eu: ["dev-2", "prod-eu", "payments-canary"] },
    },
    {
      name: "rotating canary: one rule matches, canary leaves its later wave",
      yaml: ROTATING,
      changed: ["base/payments/deployment.yaml", "README.md"],
      waves: {
        canary: ["payments-canary"],
        dev: ["canary-1", "dev-1", "dev-2"],
        prod: ["prod-eu", "prod-us"],
      },
      canary: { strategy: "rotating", clusters: ["payments-canary"], rules: [1] },
    },
    {
      name: "rotating canary: two rules match, union in rule order",
      yaml: ROTATING,
      changed: ["charts/search/values.yaml", "base/payments/x.yaml"],
      waves: {
        canary: ["payments-canary", "prod-us"],
        dev: ["canary-1", "dev-1", "dev-2"],
        prod: ["prod-eu"],
      },
      canary: { strategy: "rotating", clusters: ["payments-canary", "prod-us"], rules: [1, 2] },
    },
    {
      name: "rotating canary: nothing matches, no fallback → the first wave's own",
      yaml: ROTATING,
      changed: ["base/common/x.yaml"],
      waves: {
        canary: ["canary-1"],
        dev: ["dev-1", "dev-2"],
        prod: ["prod-eu", "prod-us", "payments-canary"],
      },
      canary: { strategy: "rotating", clusters: ["canary-1"], rules: [] },
    },
    {
      name: "rotating canary: nothing matches → fallback",
      yaml: `${ROTATING.replace("canary:\n  rules:", "canary:\n  fallback: [dev-2]\n  rules:")}`,
      changed: ["base/common/x.yaml"],
      waves: {
        canary: ["dev-2"],
        dev: ["canary-1", "dev-1"],
        prod: ["prod-eu", "prod-us", "payments-canary"],
      },
      canary: { strategy: "rotating", clusters: ["dev-2"], rules: [] },
    },
    {
      name: "rotating canary empties a later wave, which is skipped",
      yaml: `${ENV_CLUSTERS}
canary:
  rules:
    - paths: ["**/*.yaml"]
      clusters: [canary-1, staging-1]
waves:
  - name: canary
    clusters: [canary-1]
  - name: staging
    selector: { env: staging }
  - name: dev
    selector: { env: dev }
`,
      changed: ["base/a.yaml"],
      waves: { canary: ["canary-1", "staging-1"], dev: ["dev-1", "dev-2"] },
      skipped: ["staging"],
    },
    {
      name: "rotating canary with one wave keeps the displaced clusters in it",
      yaml: `
canary:
  rules: [{ paths: ["a/**"], clusters: [x] }]
waves:
  - name: only
    clusters: [y, z]
`,
      changed: ["a/b"],
      waves: { only: ["x", "y", "z"] },
    },
    {
      name: "a cluster listed in two waves is planned in the first only",
      yaml: "waves:\n  - name: a\n    clusters: [c1, c2]\n  - name: b\n    clusters: [c2, c3]\n",
      waves: { a: ["c1", "c2"], b: ["c3"] },
    },
  ];

  it.each(rows)("$name", ({ yaml, changed, waves, skipped, canary }) => {
    const plan = planRollout(config(yaml), { revision: REV, changedPaths: changed ?? [] });
    expect(plan.revision).toBe(REV);
    expect(clustersOf(plan)).toEqual(waves);
    expect(Object.keys(clustersOf(plan))).toEqual(Object.keys(waves));
    expect(plan.waves.map((wave) => wave.index)).toEqual(plan.waves.map((_, i) => i));
    expect((plan.skipped ?? []).map((s) => s.name)).toEqual(skipped ?? []);
    if (canary) {
      expect(plan.canary).toMatchObject(canary);
    }
  });
});

describe("planRollout: files, checks, timings, approvals", () => {
  it("plans the seed with the default promotion file and built-in checks", () => {
    const plan = planRollout(config(SEED), { revision: REV, changedPaths: ["base/x.yaml"] });
    expect(plan.waves[0]).toEqual({
      name: "canary",
      index: 0,
      clusters: ["canary-cluster"],
      files: [
        {
          cluster: "canary-cluster",
          path: "clusters/canary-cluster/kustomization.yaml",
          rule: { path: "clusters/{cluster}/kustomization.yaml", kind: "kustomize-ref" },
        },
      ],
      checks: [
        { name: "argocd-sync", spec: { type: "argocd-sync", failureLimit: 1 } },
        { name: "pod-health", spec: { type: "pod-health", maxRestarts: 0, failureLimit: 1 } },
      ],
      waitTimeMs: 1_800_000,
      progressDeadlineMs: 900_000,
      requireApproval: false,
      autoMerge: true,
      approvers: { users: [], teams: [] },
      allowSelfApproval: false,
    });
    expect(plan.waves.map((w) => [w.waitTimeMs, w.requireApproval])).toEqual([
      [1_800_000, false],
      [3_600_000, false],
      [7_200_000, true],
    ]);
  });

  it("substitutes {cluster} in every promotion file, cluster by cluster", () => {
    const plan = planRollout(
      config(`
promotion:
  files:
    - path: clusters/{cluster}/kustomization.yaml
      kind: kustomize-ref
    - path: apps/{cluster}/{cluster}-app.yaml
      kind: yaml
      key: spec.source.targetRevision
waves:
  - name: w
    clusters: [a, b]
`),
      { revision: REV, changedPaths: [] },
    );
    expect(plan.waves[0]!.files.map((f) => [f.cluster, f.path, f.rule.kind])).toEqual([
      ["a", "clusters/a/kustomization.yaml", "kustomize-ref"],
      ["a", "apps/a/a-app.yaml", "yaml"],
      ["b", "clusters/b/kustomization.yaml", "kustomize-ref"],
      ["b", "apps/b/b-app.yaml", "yaml"],
    ]);
  });

  it("resolves custom checks, overrides of built-ins, defaults and per-wave settings", () => {
    const plan = planRollout(
      config(`
healthChecks:
  error-rate:
    type: prometheus
    query: sum(rate(x{cluster="{cluster}"}[5m]))
    condition: "< 0.01"
  pod-health:
    type: pod-health
    maxRestarts: 2
defaults:
  healthChecks: [pod-health, error-rate]
  waitTime: 5m
  progressDeadline: 20m
waves:
  - name: a
    clusters: [c1]
  - name: b
    clusters: [c2]
    healthChecks: [argocd-sync]
    waitTime: 1h30m
    progressDeadline: 45m
    requireApproval: true
    autoMerge: false
    approvers: { users: [alice], teams: [acme/leads] }
    allowSelfApproval: true
`),
      { revision: REV, changedPaths: [] },
    );
    const [a, b] = plan.waves;
    expect(a!.checks).toEqual([
      { name: "pod-health", spec: { type: "pod-health", maxRestarts: 2, failureLimit: 1 } },
      {
        name: "error-rate",
        spec: {
          type: "prometheus",
          query: 'sum(rate(x{cluster="{cluster}"}[5m]))',
          condition: "< 0.01",
          onNoData: "fail",
          failureLimit: 1,
        },
      },
    ]);
    expect([a!.waitTimeMs, a!.progressDeadlineMs]).toEqual([300_000, 1_200_000]);
    expect(b!.checks.map((c) => c.name)).toEqual(["argocd-sync"]);
    expect(b).toMatchObject({
      waitTimeMs: 5_400_000,
      progressDeadlineMs: 2_700_000,
      requireApproval: true,
      autoMerge: false,
      approvers: { users: ["alice"], teams: ["acme/leads"] },
      allowSelfApproval: true,
    });
  });

  it("does not share mutable check specs with the configuration", () => {
    const cfg = config(SEED);
    const plan = planRollout(cfg, { revision: REV, changedPaths: [] });
    (plan.waves[0]!.checks[0]!.spec as { failureLimit: number }).failureLimit = 9;
    const again = planRollout(cfg, { revision: REV, changedPaths: [] });
    expect(again.waves[0]!.checks[0]!.spec).toEqual({ type: "argocd-sync", failureLimit: 1 });
  });
});

describe("planRollout errors", () => {
  const rows: { name: string; yaml: string; message: string; wave?: string; cluster?: string }[] = [
    {
      name: "cluster name with a slash",
      yaml: "waves:\n  - name: w\n    clusters: [ok, ../etc]\n",
      message: "cluster '../etc' contains a slash, so it cannot stand in for {cluster}",
      wave: "w",
      cluster: "../etc",
    },
    {
      name: "cluster name '..'",
      yaml: "waves:\n  - name: w\n    clusters: ['..']\n",
      message: "cluster '..' is a relative folder name",
      wave: "w",
      cluster: "..",
    },
    {
      name: "template escaping the repository",
      yaml: "promotion:\n  files: [{ path: '../{cluster}/k.yaml', kind: kustomize-ref }]\nwaves:\n  - name: w\n    clusters: [c]\n",
      message:
        "promotion file '../{cluster}/k.yaml' for cluster 'c' becomes '../c/k.yaml', which is outside",
      wave: "w",
      cluster: "c",
    },
    {
      name: "absolute template",
      yaml: "promotion:\n  files: [{ path: '/etc/{cluster}', kind: kustomize-ref }]\nwaves:\n  - name: w\n    clusters: [c]\n",
      message: "becomes '/etc/c', which is outside the repository's files",
    },
    {
      name: "unknown health check",
      yaml: "waves:\n  - name: w\n    clusters: [c]\n    healthChecks: [latency]\n",
      message:
        "wave 'w' uses the health check 'latency', which is neither built in nor under healthChecks: (known: argocd-sync, pod-health)",
      wave: "w",
    },
  ];

  it.each(rows)("$name", ({ yaml, message, wave, cluster }) => {
    let caught: unknown;
    try {
      planRollout(config(yaml), { revision: REV, changedPaths: [] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlanError);
    const error = caught as PlanError;
    expect(error.message).toContain(message);
    if (wave) expect(error.wave).toBe(wave);
    if (cluster) expect(error.cluster).toBe(cluster);
  });

  it("refuses an empty revision", () => {
    expect(() => planRollout(config(SEED), { revision: " ", changedPaths: [] })).toThrow(
      "the revision is empty",
    );
  });
});

const DESIGN_FULL = `
source:
  branch: main
  paths: ["base/**"]
promotion:
  files:
    - path: clusters/{cluster}/kustomization.yaml
      kind: kustomize-ref
    - path: clusters/{cluster}/app.yaml
      kind: yaml
      key: spec.source.targetRevision
argocd:
  url: https://argocd.example.com
  tokenEnv: ARGOCD_TOKEN
  appSelector: "cluster={cluster}"
prometheus:
  url: http://prometheus.monitoring:9090
  tokenEnv: PROMETHEUS_TOKEN
clusters:
  canary-cluster: { labels: { env: canary } }
  dev-cluster-1: { labels: { env: dev } }
  dev-cluster-2: { labels: { env: dev }, argocd: { appSelector: "team=dev,cluster={cluster}" } }
healthChecks:
  error-rate:
    type: prometheus
    query: sum(rate(http_requests_total{cluster="{cluster}",code=~"5.."}[5m])) / sum(rate(http_requests_total{cluster="{cluster}"}[5m]))
    condition: "< 0.01"
    onNoData: fail
defaults:
  healthChecks: [argocd-sync, pod-health]
  progressDeadline: 15m
waves:
  - name: canary
    clusters: [canary-cluster]
    waitTime: 30m
    healthChecks: [argocd-sync, pod-health, error-rate]
  - name: wave-1
    selector: { env: dev }
    waitTime: 1h
  - name: wave-2
    clusters: [staging-cluster-1]
    waitTime: 2h
    requireApproval: true
    approvers: { users: [alice], teams: [acme/platform-leads] }
    allowSelfApproval: false
onNewChange: supersede
rollback:
  autoMerge: true
`;

describe("planRollout on DESIGN's full configuration", () => {
  it("plans three waves with two files per cluster and the custom check on the canary", () => {
    const plan = planRollout(config(DESIGN_FULL), { revision: REV, changedPaths: ["base/a.yaml"] });
    expect(clustersOf(plan)).toEqual({
      canary: ["canary-cluster"],
      "wave-1": ["dev-cluster-1", "dev-cluster-2"],
      "wave-2": ["staging-cluster-1"],
    });
    expect(plan.waves[1]!.files.map((file) => file.path)).toEqual([
      "clusters/dev-cluster-1/kustomization.yaml",
      "clusters/dev-cluster-1/app.yaml",
      "clusters/dev-cluster-2/kustomization.yaml",
      "clusters/dev-cluster-2/app.yaml",
    ]);
    expect(plan.waves.map((wave) => wave.checks.map((check) => check.spec.type))).toEqual([
      ["argocd-sync", "pod-health", "prometheus"],
      ["argocd-sync", "pod-health"],
      ["argocd-sync", "pod-health"],
    ]);
    expect(plan.waves[2]).toMatchObject({
      requireApproval: true,
      approvers: { users: ["alice"], teams: ["acme/platform-leads"] },
      allowSelfApproval: false,
      waitTimeMs: 7_200_000,
      progressDeadlineMs: 900_000,
    });
  });
});
