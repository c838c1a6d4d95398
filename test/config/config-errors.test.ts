import { describe, expect, it } from "vitest";
import { formatConfigErrors, loadConfig } from "../../src/config/index.js";
import { type ErrorCase, expectErrors, waves } from "./error-table.js";

const CASES: ErrorCase[] = [
  {
    name: "{cluster} missing from a promotion path",
    yaml: [
      "promotion:",
      "  files:",
      "    - path: apps/prod/kustomization.yaml",
      "      kind: kustomize-ref",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      {
        line: 3,
        column: 13,
        path: "promotion.files[0].path",
        says: ["promotion path 'apps/prod/kustomization.yaml' does not contain {cluster}"],
      },
    ],
  },
  {
    name: "promotion paths that escape the repository",
    yaml: [
      "promotion:",
      "  files:",
      "    - path: ../other/{cluster}/k.yaml",
      "      kind: kustomize-ref",
      "    - path: /etc/{cluster}.yaml",
      "      kind: kustomize-ref",
      '    - path: "clusters\\\\{cluster}\\\\k.yaml"',
      "      kind: kustomize-ref",
      '    - path: "clusters/{cluster}/\\0k.yaml"',
      "      kind: kustomize-ref",
      "    - path: clusters/{cluster}/../../k.yaml",
      "      kind: kustomize-ref",
      "    - path: C:/{cluster}/k.yaml",
      "      kind: kustomize-ref",
      "    - path: clusters/{cluster}/.git/config",
      "      kind: kustomize-ref",
      "    - path: clusters/{name}/k.yaml",
      "      kind: kustomize-ref",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      { line: 3, column: 13, path: "promotion.files[0].path", says: ["'..' segment"] },
      { line: 5, column: 13, path: "promotion.files[1].path", says: ["is absolute"] },
      { line: 7, column: 13, path: "promotion.files[2].path", says: ["backslash"] },
      { line: 9, column: 13, path: "promotion.files[3].path", says: ["NUL"] },
      { line: 11, column: 13, path: "promotion.files[4].path", says: ["'..' segment"] },
      { line: 13, column: 13, path: "promotion.files[5].path", says: ["is absolute"] },
      { line: 15, column: 13, path: "promotion.files[6].path", says: ["points into .git"] },
      {
        line: 17,
        column: 13,
        path: "promotion.files[7].path",
        says: ["unknown placeholder {name}"],
      },
    ],
  },
  {
    name: "cluster names that would escape through {cluster}, including canary rules",
    yaml: [
      "canary:",
      "  rules:",
      "    - paths: ['base/**']",
      "      clusters: ['../evil']",
      "  fallback: ['..']",
      ...waves("  - name: w1", "    clusters: [a/b]"),
    ],
    errors: [
      {
        line: 4,
        column: 18,
        path: "canary.rules[0].clusters[0]",
        says: ["canary rule 1 lists cluster '../evil', whose name contains a slash"],
      },
      {
        line: 5,
        column: 14,
        path: "canary.fallback[0]",
        says: ["canary fallback lists cluster '..', whose name is a relative folder name"],
      },
      {
        line: 8,
        column: 16,
        path: "waves[0].clusters[0]",
        says: ["wave 'w1' lists cluster 'a/b', whose name contains a slash"],
      },
    ],
  },
  {
    name: "a token written inline names the field and never repeats the value",
    yaml: [
      "argocd:",
      "  url: https://argocd.example.com",
      "  token: eyJhbGciOi.s3cr3t-value.xyz",
      "prometheus:",
      "  main: { url: http://p:9090, token: hunter2-secret }",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      {
        line: 3,
        column: 3,
        path: "argocd.token",
        says: ["argocd.token holds a token written inline", "set argocd.tokenEnv"],
      },
      {
        line: 5,
        column: 31,
        path: "prometheus.main.token",
        says: ["prometheus.main.token holds a token written inline", "prometheus.main.tokenEnv"],
      },
    ],
  },
  {
    name: "URL userinfo",
    yaml: [
      "argocd:",
      "  url: https://admin:hunter2-secret@argocd.example.com",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      {
        line: 2,
        column: 8,
        path: "argocd.url",
        says: ["url must not carry credentials", "tokenEnv"],
      },
    ],
  },
  {
    name: "a bad duration, an unknown field and a missing name",
    yaml: waves(
      "  - name: w1",
      "    clusters: [a]",
      "    waitTime: 1 hour",
      "    waittime: 1h",
      "  - clusters: [b]",
    ),
    errors: [
      {
        line: 4,
        column: 15,
        path: "waves[0].waitTime",
        says: ["waitTime '1 hour' is not a duration", "1h30m"],
      },
      {
        line: 5,
        column: 5,
        path: "waves[0].waittime",
        says: ["unknown field 'waittime' (did you mean 'waitTime'?)"],
      },
      { line: 6, column: 5, path: "waves[1].name", says: ["name is required but missing"] },
    ],
  },
  {
    name: "a key with no value points at the key",
    yaml: waves("  - name: w1", "    clusters: [a]", "    waitTime:"),
    errors: [
      {
        line: 4,
        column: 5,
        path: "waves[0].waitTime",
        says: ["waitTime has no value: it must be text"],
      },
    ],
  },
  {
    name: "a bad enum and a bad health check type",
    yaml: [
      "onNewChange: never",
      "healthChecks:",
      "  x: { type: http }",
      ...waves("  - name: w1", "    clusters: [a]"),
    ],
    errors: [
      {
        line: 1,
        column: 14,
        path: "onNewChange",
        says: ["onNewChange 'never' must be one of 'supersede', 'queue'"],
      },
      {
        line: 3,
        column: 14,
        path: "healthChecks.x.type",
        says: ["type 'http' must be one of 'prometheus', 'argocd-sync', 'pod-health'"],
      },
    ],
  },
  {
    name: "an empty health check list (warning) and a query without {cluster} (warning)",
    yaml: [
      "prometheus: { url: http://prom:9090 }",
      "healthChecks:",
      "  up: { type: prometheus, query: sum(up), condition: '> 0' }",
      ...waves("  - name: w1", "    clusters: [a]", "    healthChecks: []"),
    ],
    errors: [
      {
        line: 3,
        column: 34,
        path: "healthChecks.up.query",
        says: ["health check 'up' has a query without {cluster}"],
      },
      {
        line: 7,
        column: 5,
        path: "waves[0].healthChecks",
        says: ["wave 'w1' lists no health checks", "bake time alone"],
      },
    ],
  },
  {
    name: "approvers written with @",
    yaml: waves(
      "  - name: w1",
      "    clusters: [a]",
      "    approvers: { users: ['@alice'], teams: ['@acme/leads'] }",
    ),
    errors: [
      {
        line: 4,
        column: 26,
        path: "waves[0].approvers.users[0]",
        says: ["users[0] '@alice' must be a GitHub login, written without @"],
      },
      {
        line: 4,
        column: 45,
        path: "waves[0].approvers.teams[0]",
        says: ["must be org/team-slug, written without @"],
      },
    ],
  },
  {
    name: "wrong shapes and a bad record key",
    yaml: [
      "argocd: https://argocd.example.com",
      "healthChecks:",
      "  Error_Rate: { type: argocd-sync }",
      "waves:",
      "  canary: { clusters: [a] }",
    ],
    errors: [
      { line: 1, column: 9, path: "argocd", says: ["argocd must be a mapping, not text"] },
      {
        line: 3,
        column: 3,
        path: "healthChecks.Error_Rate",
        says: ["name 'Error_Rate' must be lower-case letters, digits"],
      },
      { line: 4, column: 1, path: "waves", says: ["waves must be a list, not a mapping"] },
    ],
  },
  {
    name: "a misspelt top-level key",
    yaml: ["wave:", "  - name: w1", "    clusters: [a]"],
    errors: [
      { line: 1, column: 1, path: "wave", says: ["unknown field 'wave' (did you mean 'waves'?)"] },
      { line: 1, column: 1, path: "waves", says: ["waves is required but missing"] },
    ],
  },
  {
    name: "values of the wrong type say what was written and how to fix it",
    yaml: [
      "prometheus: { url: http://p:9090 }",
      "healthChecks:",
      "  errors:",
      "    type: prometheus",
      "    query: 'x{cluster=\"{cluster}\"}'",
      "    condition: 0.01",
      "    failureLimit: 1.5",
      ...waves("  - name: w1", "    clusters: [a]", "    requireApproval: yes"),
    ],
    errors: [
      {
        line: 6,
        column: 16,
        path: "healthChecks.errors.condition",
        says: [
          "condition must be text or a mapping, not 0.01 (a number)",
          'in quotes such as "< 0.01"',
        ],
      },
      {
        line: 7,
        column: 19,
        path: "healthChecks.errors.failureLimit",
        says: ["failureLimit must be a whole number, not 1.5 (a number)"],
      },
      {
        line: 11,
        column: 22,
        path: "waves[0].requireApproval",
        says: ["requireApproval must be true or false, not text ('yes')"],
      },
    ],
  },
  {
    name: "a URL that is not http(s) gets one error",
    yaml: ["prometheus: { url: 'not a url' }", ...waves("  - name: w1", "    clusters: [a]")],
    errors: [
      {
        line: 1,
        column: 20,
        path: "prometheus.url",
        says: ["url must be an http:// or https:// URL"],
      },
    ],
  },
  {
    name: "no waves at all",
    yaml: ["clusters: {}"],
    errors: [{ line: 1, column: 1, path: "waves", says: ["waves is required but missing"] }],
  },
];

describe("loadConfig errors: references, paths, secrets and shapes", () => {
  it.each(CASES)("$name", (c) => expectErrors(c));

  it("reports every error at once, sorted by position", () => {
    const yaml = [
      "onNewChange: never",
      "argocd: { url: https://argocd.example.com, token: abcdefgh }",
      "waves:",
      "  - name: w1",
      "    clusters: [a]",
      "    waitTime: soon",
      "  - name: w1",
      "    clusters: [a]",
      "    healthChecks: [nope]",
    ];
    const result = loadConfig(`${yaml.join("\n")}\n`, "w.yml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigErrors(result.errors).split("\n")).toEqual([
      "w.yml:1:14: onNewChange: onNewChange 'never' must be one of 'supersede', 'queue'",
      "w.yml:2:44: argocd.token: argocd.token holds a token written inline: never put a token in the repository (and rotate this one). Store it in an environment variable and set argocd.tokenEnv to that variable's name",
      "w.yml:6:15: waves[0].waitTime: waitTime 'soon' is not a duration: write it like 500ms, 90s, 30m, 1h30m or 2d",
      "w.yml:7:11: waves[1].name: wave name 'w1' is used twice (first by waves[0]): wave names must be unique",
      "w.yml:8:16: waves[1].clusters[0]: cluster 'a' is in wave 'w1' and again in wave 'w1': a cluster belongs to one wave only",
      "w.yml:9:20: waves[1].healthChecks[0]: wave 'w1' uses health check 'nope', which is not built in (argocd-sync, pod-health), and healthChecks: defines none",
    ]);
  });

  it("never repeats a secret in any message", () => {
    const yaml = [
      "argocd: { url: 'https://admin:Sup3rS3cretPass@argocd.example.com', token: Sup3rS3cretToken, tokenEnv: 'Bearer Sup3rS3cretToken2' }",
      "waves: [{ name: w1, clusters: [a] }]",
    ];
    const result = loadConfig(`${yaml.join("\n")}\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = formatConfigErrors(result.errors);
    expect(text).not.toContain("Sup3rS3cret");
    expect(result.errors.map((e) => e.path)).toEqual([
      "argocd.url",
      "argocd.token",
      "argocd.tokenEnv",
    ]);
  });
});
