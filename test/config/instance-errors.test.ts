import { describe, it } from "vitest";
import { type ErrorCase, expectErrors, waves } from "./error-table.js";

const CASES: ErrorCase[] = [
  {
    name: "a prometheus check without any prometheus instance",
    yaml: [
      "healthChecks:",
      "  errors:",
      "    type: prometheus",
      '    query: up{cluster="{cluster}"}',
      '    condition: "== 1"',
      ...waves("  - name: w1", "    clusters: [a]", "    healthChecks: [errors]"),
    ],
    errors: [
      {
        line: 3,
        column: 11,
        path: "healthChecks.errors.type",
        says: [
          "health check 'errors' queries Prometheus, but no prometheus: instance is configured",
        ],
      },
    ],
  },
  {
    name: "named instance references that do not exist",
    yaml: [
      "argocd:",
      "  main: { url: https://argocd.example.com }",
      "prometheus: { url: http://prom:9090 }",
      "clusters:",
      "  a: { argocd: { instance: mian }, prometheus: eu }",
      "healthChecks:",
      "  up: { type: prometheus, query: 'up{cluster=\"{cluster}\"}', condition: '== 1', instance: eu }",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      {
        line: 5,
        column: 28,
        path: "clusters.a.argocd.instance",
        says: [
          "cluster 'a' uses Argo CD instance 'mian', which is not under argocd: (known: main)",
        ],
      },
      {
        line: 5,
        column: 48,
        path: "clusters.a.prometheus",
        says: ["prometheus: is a single instance"],
      },
      {
        line: 7,
        column: 90,
        path: "healthChecks.up.instance",
        says: ["health check 'up' uses Prometheus instance 'eu'", "single instance"],
      },
    ],
  },
  {
    name: "several argocd instances and clusters that do not say which",
    yaml: [
      "argocd:",
      "  nonprod: { url: https://a.example.com }",
      "  prod: { url: https://b.example.com }",
      "clusters:",
      "  dev-1: { argocd: { instance: nonprod } }",
      "  prod-1: { labels: { env: prod } }",
      ...waves("  - name: w1", "    clusters: [dev-1, prod-1]"),
    ],
    errors: [
      {
        line: 6,
        column: 3,
        path: "clusters.prod-1",
        says: [
          "argocd: has several instances (nonprod, prod), so cluster 'prod-1' must name one",
          "clusters.prod-1.argocd.instance",
        ],
      },
    ],
  },
  {
    name: "several argocd instances and wave clusters with no clusters map",
    yaml: [
      "argocd:",
      "  nonprod: { url: https://a.example.com }",
      "  prod: { url: https://b.example.com }",
      ...waves("  - name: w1", "    clusters: [x]"),
    ],
    errors: [
      { line: 6, column: 16, path: "waves[0].clusters[0]", says: ["cluster 'x' must name one"] },
    ],
  },
  {
    name: "several prometheus instances and a check used by clusters that do not say which",
    yaml: [
      "prometheus:",
      "  eu: { url: http://eu:9090 }",
      "  us: { url: http://us:9090 }",
      "clusters:",
      "  a: { prometheus: eu }",
      "  b: {}",
      "healthChecks:",
      "  up: { type: prometheus, query: 'up{cluster=\"{cluster}\"}', condition: '== 1' }",
      ...waves("  - name: w1", "    clusters: [a, b]", "    healthChecks: [up]"),
    ],
    errors: [
      {
        line: 6,
        column: 3,
        path: "clusters.b",
        says: [
          "prometheus: has several instances (eu, us), so cluster 'b' must name one for health check 'up'",
        ],
      },
    ],
  },
];

describe("loadConfig errors: Argo CD and Prometheus instances", () => {
  it.each(CASES)("$name", (c) => expectErrors(c));
});
