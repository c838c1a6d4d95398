import { describe, expect, it } from "vitest";
import { promotionPathMatcher, shouldStartRollout } from "../../src/plan/index.js";
import { config, SEED } from "./config-helper.js";

const TWO_FILES = `
promotion:
  files:
    - path: clusters/{cluster}/kustomization.yaml
      kind: kustomize-ref
    - path: apps/{cluster}.yaml
      kind: yaml
      key: spec.source.targetRevision
`;

describe("shouldStartRollout", () => {
  const rows: {
    name: string;
    yaml: string;
    changed: string[];
    start: boolean;
    matched: string[];
    reason: string;
  }[] = [
    {
      name: "default paths: any non-promotion change starts",
      yaml: SEED,
      changed: ["base/deployment.yaml", "clusters/c1/kustomization.yaml"],
      start: true,
      matched: ["base/deployment.yaml"],
      reason: "1 changed file(s): base/deployment.yaml",
    },
    {
      name: "default paths include dotfiles",
      yaml: SEED,
      changed: [".github/waves.yml"],
      start: true,
      matched: [".github/waves.yml"],
      reason: "1 changed file(s): .github/waves.yml",
    },
    {
      name: "only promotion files (a waves merge) never start",
      yaml: `${TWO_FILES}${SEED}`,
      changed: ["clusters/a/kustomization.yaml", "apps/b.yaml"],
      start: false,
      matched: [],
      reason:
        "only promotion files changed (clusters/a/kustomization.yaml, apps/b.yaml), which never start a rollout",
    },
    {
      name: "{cluster} is one path segment: deeper files are not promotion files",
      yaml: `${TWO_FILES}${SEED}`,
      changed: ["clusters/a/b/kustomization.yaml", "apps/x/y.yaml"],
      start: true,
      matched: ["clusters/a/b/kustomization.yaml", "apps/x/y.yaml"],
      reason: "2 changed file(s): clusters/a/b/kustomization.yaml, apps/x/y.yaml",
    },
    {
      name: "source.paths filters",
      yaml: `source: { paths: ["base/**", "charts/*/values.yaml"] }\n${SEED}`,
      changed: [
        "README.md",
        "charts/api/values.yaml",
        "charts/api/templates/x.yaml",
        "base/a/b.yaml",
      ],
      start: true,
      matched: ["charts/api/values.yaml", "base/a/b.yaml"],
      reason: "2 changed file(s) match source.paths: charts/api/values.yaml, base/a/b.yaml",
    },
    {
      name: "nothing under source.paths",
      yaml: `source: { paths: ["base/**"] }\n${SEED}`,
      changed: ["README.md", "docs/x.md"],
      start: false,
      matched: [],
      reason: "no changed file matches source.paths (base/**)",
    },
    {
      name: "a promotion file under source.paths still does not count",
      yaml: `source: { paths: ["clusters/**"] }\n${SEED}`,
      changed: ["clusters/c1/kustomization.yaml"],
      start: false,
      matched: [],
      reason:
        "only promotion files changed (clusters/c1/kustomization.yaml), which never start a rollout",
    },
    {
      name: "no changed files",
      yaml: SEED,
      changed: [],
      start: false,
      matched: [],
      reason: "the push changed no files",
    },
    {
      name: "long lists are shortened in the reason",
      yaml: SEED,
      changed: ["a", "b", "c", "d", "e"],
      start: true,
      matched: ["a", "b", "c", "d", "e"],
      reason: "5 changed file(s): a, b, c and 2 more",
    },
  ];

  it.each(rows)("$name", ({ yaml, changed, start, matched, reason }) => {
    expect(shouldStartRollout(config(yaml), changed)).toEqual({ start, matched, reason });
  });

  it("takes a custom promotion path matcher", () => {
    const decision = shouldStartRollout(config(SEED), ["gen/x.yaml", "base/y"], (path) =>
      path.startsWith("gen/"),
    );
    expect(decision.matched).toEqual(["base/y"]);
  });
});

describe("promotionPathMatcher", () => {
  it("escapes regex characters in templates", () => {
    const isPromotion = promotionPathMatcher(
      config(
        `promotion:\n  files: [{ path: "c+d/{cluster}.(x).yaml", kind: kustomize-ref }]\n${SEED}`,
      ),
    );
    expect(isPromotion("c+d/eu.(x).yaml")).toBe(true);
    expect(isPromotion("cd/eu.(x).yaml")).toBe(false);
    expect(isPromotion("c+d/eu.x.yaml")).toBe(false);
  });
});
