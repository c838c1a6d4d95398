import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ConfigError,
  formatConfigErrors,
  type LoadResult,
  loadConfig,
  MAX_CONFIG_BYTES,
} from "../../src/config/index.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/config");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

function errorsOf(result: LoadResult): ConfigError[] {
  if (result.ok) throw new Error("expected the configuration to be refused");
  return result.errors;
}

describe("loadConfig: the DESIGN.md examples", () => {
  it("accepts the seed waves block verbatim and fills the defaults", () => {
    const result = loadConfig(fixture("seed.yml"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toBeUndefined();
    const { config } = result;
    expect(config.waves.map((w) => [w.name, w.clusters, w.waitTime, w.requireApproval])).toEqual([
      ["canary", ["canary-cluster"], 1_800_000, false],
      ["wave-1", ["dev-cluster-1", "dev-cluster-2"], 3_600_000, false],
      ["wave-2", ["staging-cluster-1"], 7_200_000, true],
    ]);
    expect(config.defaults).toEqual({
      healthChecks: ["argocd-sync", "pod-health"],
      waitTime: 0,
      progressDeadline: 900_000,
    });
    expect(config.waves[1]?.healthChecks).toBeUndefined();
    expect(config.promotion.files).toEqual([
      { path: "clusters/{cluster}/kustomization.yaml", kind: "kustomize-ref" },
    ]);
    expect(config.rollback).toEqual({ autoMerge: true, scope: "rollout" });
    expect(config.onNewChange).toBe("supersede");
  });

  it("accepts the full configuration as written, warning about the cluster not under clusters:", () => {
    const result = loadConfig(fixture("full.yml"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.healthChecks["error-rate"]).toMatchObject({
      type: "prometheus",
      condition: "< 0.01",
      onNoData: "fail",
      failureLimit: 1,
    });
    expect(result.config.waves[1]?.selector).toEqual({ env: "dev" });
    expect(result.config.waves[2]?.approvers).toEqual({
      users: ["alice"],
      teams: ["acme/platform-leads"],
    });
    expect(result.config.defaults.progressDeadline).toBe(900_000);
    expect(result.warnings).toEqual([
      {
        file: ".github/waves.yml",
        line: 40,
        column: 16,
        endLine: 40,
        endColumn: 33,
        path: "waves[2].clusters[0]",
        message: "wave 'wave-2' lists cluster 'staging-cluster-1', which is not under clusters:",
      },
    ]);
  });

  it("accepts the full configuration plus the rotating canary block", () => {
    const result = loadConfig(fixture("full-with-canary.yml"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.canary).toEqual({
      rules: [{ paths: ["base/payments/**"], clusters: ["payments-canary"] }],
      fallback: ["canary-cluster"],
    });
    expect(result.warnings?.map((w) => w.path)).toEqual([
      "waves[2].clusters[0]",
      "canary.rules[0].clusters[0]",
    ]);
  });

  it("turns warnings into errors when strict", () => {
    const errors = errorsOf(loadConfig(fixture("full.yml"), "waves.yml", { strict: true }));
    expect(formatConfigErrors(errors)).toBe(
      "waves.yml:40:16: waves[2].clusters[0]: wave 'wave-2' lists cluster 'staging-cluster-1', which is not under clusters:",
    );
  });
});

describe("loadConfig: files that are not a configuration", () => {
  const cases: { name: string; text: string; line: number; column: number; message: string }[] = [
    { name: "empty file", text: "", line: 1, column: 1, message: "the file is empty" },
    {
      name: "only comments",
      text: "# nothing yet\n\n",
      line: 1,
      column: 1,
      message: "the file is empty",
    },
    {
      name: "top-level list",
      text: "# waves\n- name: canary\n",
      line: 2,
      column: 1,
      message: "the top level must be a mapping",
    },
    {
      name: "top-level scalar",
      text: "\n  just text\n",
      line: 2,
      column: 3,
      message: "the top level must be a mapping",
    },
    {
      name: "duplicate key",
      text: "waves:\n  - name: a\n    clusters: [x]\n    clusters: [y]\n",
      line: 4,
      column: 5,
      message: "key 'clusters' appears twice in the same mapping",
    },
    {
      name: "several documents",
      text: "waves: []\n---\nwaves: []\n",
      line: 2,
      column: 1,
      message: "several YAML documents",
    },
    {
      name: "syntax error",
      text: "waves:\n  - name: [canary\n",
      line: 3,
      column: 1,
      message: "YAML syntax error",
    },
  ];
  it.each(cases)("$name", ({ text, line, column, message }) => {
    const errors = errorsOf(loadConfig(text, "w.yml"));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatchObject({ file: "w.yml", line, column });
    expect(errors[0]?.message).toContain(message);
  });

  it("refuses a file over 256 KiB before parsing it", () => {
    // Broken YAML: if it were parsed, the errors would be syntax errors.
    const text = `waves: [\n${"#".repeat(MAX_CONFIG_BYTES)}`;
    const errors = errorsOf(loadConfig(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1, column: 1, path: "" });
    expect(errors[0]?.message).toBe(
      "the file is 257 KiB; a waves configuration may be at most 256 KiB",
    );
  });

  it("accepts a file just under the limit", () => {
    const seed = fixture("seed.yml");
    const padding = `${"#".repeat(1000)}\n`.repeat(
      Math.floor((MAX_CONFIG_BYTES - seed.length) / 1001),
    );
    expect(loadConfig(seed + padding).ok).toBe(true);
  });

  it("refuses an alias bomb, pointing at the first alias", () => {
    const text = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "waves: [*d]",
      "",
    ].join("\n");
    const errors = errorsOf(loadConfig(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, column: 8, endColumn: 10 });
    expect(errors[0]?.message).toContain("alias bomb");
  });

  it("refuses absurd nesting with one clear error instead of crashing", () => {
    const text = `waves: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    const errors = errorsOf(loadConfig(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.message).toBe(
      "the file nests lists or mappings too deeply to read: a waves configuration needs only a few levels",
    );
  });

  it("allows a few aliases and merge keys", () => {
    const text = [
      "x-slow: &slow { waitTime: 2h, requireApproval: true }",
      "waves:",
      "  - name: canary",
      "    clusters: [c1]",
      "  - <<: *slow",
      "    name: prod",
      "    clusters: [p1]",
      "",
    ].join("\n");
    // `x-slow` is not a known field, which is the only error: the merge itself works.
    const errors = errorsOf(loadConfig(text));
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [1, 1, "unknown field 'x-slow'"],
    ]);
    const ok = loadConfig(
      text
        .replace("x-slow: &slow", "defaults: &slow")
        .replace("{ waitTime: 2h, requireApproval: true }", "{ waitTime: 2h }"),
    );
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.config.waves[1]?.waitTime).toBe(7_200_000);
  });
});

describe("loadConfig: the result cache", () => {
  const seed = () => fixture("seed.yml");

  it("returns the same frozen result for the same text, a fresh one for changed text", () => {
    const first = loadConfig(seed());
    const again = loadConfig(seed());
    expect(again).toBe(first);
    if (!first.ok) throw new Error("seed must load");
    expect(Object.isFrozen(first.config.waves[0])).toBe(true);
    expect(() => {
      (first.config.waves as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    const changed = loadConfig(seed().replace("waitTime: 30m", "waitTime: 31m"));
    expect(changed).not.toBe(first);
    expect(changed.ok && changed.config.waves[0]?.waitTime).toBe(1_860_000);
  });

  it("keys on the file name and strictness, so errors name the right file", () => {
    const text = "waves: []\n";
    const a = loadConfig(text, "a.yml");
    const b = loadConfig(text, "b.yml");
    expect(errorsOf(a)[0]?.file).toBe("a.yml");
    expect(errorsOf(b)[0]?.file).toBe("b.yml");
    const full = fixture("full.yml");
    expect(loadConfig(full).ok).toBe(true);
    expect(loadConfig(full, undefined, { strict: true }).ok).toBe(false);
  });

  it("keeps a bounded number of results, dropping the least recently used", () => {
    const first = loadConfig(seed());
    for (let i = 0; i < 16; i++) loadConfig(`${seed()}# filler ${i}\n`);
    expect(loadConfig(seed())).not.toBe(first);
    expect(loadConfig(seed())).toEqual(first);
  });
});
