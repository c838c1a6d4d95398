import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { createSampleRepo, sampleClusters } from "../../src/demo/sample-repo.js";
import { planRollout } from "../../src/plan/plan-rollout.js";

describe("sample fleet", () => {
  it.each([3, 8, 60])("%i clusters: unique names, one canary, dev and prod", (count) => {
    const clusters = sampleClusters(count);
    expect(clusters).toHaveLength(count);
    expect(new Set(clusters.map((c) => c.name)).size).toBe(count);
    expect(clusters.filter((c) => c.env === "canary").map((c) => c.name)).toEqual([
      "canary-eu-west-1",
    ]);
    expect(clusters.some((c) => c.env === "dev")).toBe(true);
    expect(clusters.some((c) => c.env === "prod")).toBe(true);
  });

  it("writes a valid waves.yml whose plan bumps two files per cluster, wave-2 needing approval", async () => {
    const repo = await createSampleRepo({
      clusters: 60,
      argocdUrl: "http://127.0.0.1:8080",
      prometheusUrl: "http://127.0.0.1:9090",
    });
    try {
      const text = await readFile(join(repo.work, ".github/waves.yml"), "utf8");
      const loaded = loadConfig(text);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const plan = planRollout(loaded.config, {
        revision: "a".repeat(40),
        changedPaths: ["base/deployment.yaml"],
      });
      expect(plan.waves.map((w) => [w.name, w.clusters.length, w.requireApproval])).toEqual([
        ["canary", 1, false],
        ["wave-1", 20, false],
        ["wave-2", 39, true],
      ]);
      expect(plan.waves[0]!.checks.map((c) => c.name)).toEqual([
        "argocd-sync",
        "pod-health",
        "error-rate",
      ]);
      expect(plan.waves.flatMap((w) => w.files.map((f) => f.path)).sort()).toEqual(
        repo.promotionFiles,
      );
    } finally {
      await rm(repo.root, { recursive: true, force: true });
    }
  });
});
