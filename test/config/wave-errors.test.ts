import { describe, it } from "vitest";
import { type ErrorCase, expectErrors, waves } from "./error-table.js";

const CASES: ErrorCase[] = [
  {
    name: "unknown cluster in a wave is refused when strict (warning otherwise)",
    yaml: ["clusters:", "  a: {}", ...waves("  - name: w1", "    clusters: [a, staging-9]")],
    errors: [
      {
        line: 5,
        column: 19,
        path: "waves[0].clusters[1]",
        says: ["wave 'w1' lists cluster 'staging-9', which is not under clusters:"],
      },
    ],
  },
  {
    name: "a cluster in two waves",
    yaml: waves("  - name: w1", "    clusters: [a, b]", "  - name: w2", "    clusters: [c, b]"),
    errors: [
      {
        line: 5,
        column: 19,
        path: "waves[1].clusters[1]",
        says: ["cluster 'b' is in wave 'w1' and again in wave 'w2'", "one wave only"],
      },
    ],
  },
  {
    name: "a cluster listed twice in one wave",
    yaml: waves("  - name: w1", "    clusters: [a, a]"),
    errors: [
      { line: 3, column: 19, path: "waves[0].clusters[1]", says: ["lists cluster 'a' twice"] },
    ],
  },
  {
    name: "a cluster in two waves through a selector",
    yaml: [
      "clusters:",
      "  a: { labels: { env: dev } }",
      "  b: { labels: { env: dev } }",
      ...waves("  - name: w1", "    clusters: [b]", "  - name: w2", "    selector: { env: dev }"),
    ],
    errors: [
      {
        line: 8,
        column: 5,
        path: "waves[1].selector",
        says: [
          "wave 'w2' selector { env: dev } matches cluster 'b', which is already in wave 'w1'",
        ],
      },
    ],
  },
  {
    name: "duplicate wave names",
    yaml: waves("  - name: w1", "    clusters: [a]", "  - name: w1", "    clusters: [b]"),
    errors: [
      {
        line: 4,
        column: 11,
        path: "waves[1].name",
        says: ["wave name 'w1' is used twice (first by waves[0])"],
      },
    ],
  },
  {
    name: "a wave without clusters or selector",
    yaml: waves("  - name: w1", "    clusters: [a]", "  - name: w2", "    waitTime: 1h"),
    errors: [
      {
        line: 4,
        column: 5,
        path: "waves[1]",
        says: ["wave 'w2' has no clusters", "selector:"],
      },
    ],
  },
  {
    name: "a wave with an empty cluster list",
    yaml: waves("  - name: w1", "    clusters: []"),
    errors: [
      { line: 3, column: 5, path: "waves[0].clusters", says: ["wave 'w1' has no clusters"] },
    ],
  },
  {
    name: "a selector that matches nothing",
    yaml: [
      "clusters:",
      "  a: { labels: { env: dev } }",
      ...waves("  - name: w1", "    selector: { env: prod }"),
    ],
    errors: [
      {
        line: 5,
        column: 5,
        path: "waves[0].selector",
        says: ["wave 'w1' selector { env: prod } matches no cluster under clusters:"],
      },
    ],
  },
  {
    name: "a selector without a clusters map",
    yaml: waves("  - name: w1", "    selector:", "      env: dev"),
    errors: [
      {
        line: 3,
        column: 5,
        path: "waves[0].selector",
        says: ["wave 'w1' has a selector but there is no clusters: map"],
      },
    ],
  },
  {
    name: "an unknown health check in a wave and in defaults",
    yaml: [
      "defaults:",
      "  healthChecks: [argocd-sync, pods]",
      ...waves("  - name: w1", "    clusters: [a]", "    healthChecks: [argocd-sync, error-rat]"),
    ],
    errors: [
      {
        line: 2,
        column: 31,
        path: "defaults.healthChecks[1]",
        says: [
          "defaults uses health check 'pods', which is not built in (argocd-sync, pod-health)",
        ],
      },
      {
        line: 6,
        column: 33,
        path: "waves[0].healthChecks[1]",
        says: ["wave 'w1' uses health check 'error-rat'", "healthChecks: defines none"],
      },
    ],
  },
];

describe("loadConfig errors: waves and their clusters", () => {
  it.each(CASES)("$name", (c) => expectErrors(c));
});
