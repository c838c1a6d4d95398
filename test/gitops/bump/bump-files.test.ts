import { describe, expect, it } from "vitest";
import type { PromotionFile } from "../../../src/config/waves.schema.js";
import { bumpFiles } from "../../../src/gitops/bump/index.js";
import type { ClusterFile } from "../../../src/plan/types.js";

const tagRule: PromotionFile = {
  path: "c/{cluster}/k.yaml",
  kind: "kustomize-image",
  image: "api",
};
const refRule: PromotionFile = { path: "c/{cluster}/k.yaml", kind: "kustomize-ref" };

const kustomization = (ref: string, tag: string) =>
  `resources:\n  - https://github.com/acme/r//base?ref=${ref}\nimages:\n  - name: api\n    newTag: ${tag}\n`;

function files(...clusters: string[]): ClusterFile[] {
  return clusters.flatMap((cluster) => [
    { cluster, path: `c/${cluster}/k.yaml`, rule: refRule },
    { cluster, path: `c/${cluster}/k.yaml`, rule: tagRule },
  ]);
}

describe("bumpFiles", () => {
  it("applies every rule of a file in order and records each previous value", () => {
    const repo: Record<string, string> = {
      "c/a/k.yaml": kustomization("old1", "old1"),
      "c/b/k.yaml": kustomization("new9", "new9"),
    };
    const result = bumpFiles(files("a", "b"), "new9", (path) => repo[path], {
      sourceRepo: "acme/r",
    });
    expect(result.errors).toEqual([]);
    expect(result.changes).toEqual([
      { path: "c/a/k.yaml", before: repo["c/a/k.yaml"], content: kustomization("new9", "new9") },
    ]);
    expect(result.records).toEqual([
      { cluster: "a", path: "c/a/k.yaml", previous: "old1", next: "new9", changed: true },
      { cluster: "a", path: "c/a/k.yaml", previous: "old1", next: "new9", changed: true },
      { cluster: "b", path: "c/b/k.yaml", previous: "new9", next: "new9", changed: false },
      { cluster: "b", path: "c/b/k.yaml", previous: "new9", next: "new9", changed: false },
    ]);
  });

  it("restores a value per file (the revert) and keeps later unrelated edits", () => {
    const repo: Record<string, string> = {
      "c/a/k.yaml": `${kustomization("new9", "new9")}# edited after the bump\n`,
    };
    const previous: Record<string, string> = { "kustomize-ref": "old1", "kustomize-image": "1.0" };
    const result = bumpFiles(
      files("a"),
      (file) => previous[file.rule.kind]!,
      (path) => repo[path],
      {
        sourceRepo: "acme/r",
      },
    );
    expect(result.changes[0]!.content).toBe(
      // 1.0 written plain would read back as a number, so it is quoted.
      `${kustomization("old1", '"1.0"')}# edited after the bump\n`,
    );
  });

  it("reports every missing or broken file and leaves them out of the changes", () => {
    const repo: Record<string, string> = {
      "c/b/k.yaml": "resources: [\n",
      "c/c/k.yaml": kustomization("old1", "old1"),
    };
    const result = bumpFiles(files("a", "b", "c"), "new9", (path) => repo[path], {
      sourceRepo: "acme/r",
    });
    expect(
      result.errors.map((error) => [error.cluster, error.path, error.detail.split(":")[0]]),
    ).toEqual([
      ["a", "c/a/k.yaml", "the file does not exist"],
      ["b", "c/b/k.yaml", "is not valid YAML"],
    ]);
    expect(result.changes.map((change) => change.path)).toEqual(["c/c/k.yaml"]);
  });
});
