import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { resolveWaveClusters } from "../../src/config/resolve-wave-clusters.js";
import { planRollout } from "../../src/plan/index.js";

const EXAMPLES = join(import.meta.dirname, "../../examples");
const examples = readdirSync(EXAMPLES).filter((name) => name.endsWith(".yml"));
const CHANGES = [
  [],
  ["base/payments/api.yaml"],
  ["base/search/x.yaml", "README.md"],
  ["docs/a.md"],
];

describe("every shipped example plans, with each cluster bumped exactly once", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  describe.each(examples)("%s", (name) => {
    const loaded = loadConfig(readFileSync(join(EXAMPLES, name), "utf8"), name);
    if (!loaded.ok) throw new Error(`${name} does not load: ${JSON.stringify(loaded.errors)}`);
    const config = loaded.config;

    it.each(CHANGES.map((changed) => [changed.join(" ") || "(nothing)", changed] as const))(
      "change %s",
      (_label, changed) => {
        const plan = planRollout(config, { revision: "abcdef1", changedPaths: [...changed] });
        const planned = plan.waves.flatMap((wave) => wave.clusters);
        expect(new Set(planned).size).toBe(planned.length);
        const configured = [...resolveWaveClusters(config).values()].flat();
        for (const cluster of configured) expect(planned).toContain(cluster);
        expect(plan.waves[0]!.clusters).toEqual(plan.canary!.clusters);
        for (const wave of plan.waves) {
          expect(wave.files.length).toBe(wave.clusters.length * config.promotion.files.length);
        }
      },
    );
  });
});
