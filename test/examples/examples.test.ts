import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatConfigErrors, loadConfig, resolveWaveClusters } from "../../src/config/index.js";

const DIR = join(import.meta.dirname, "../../examples");
const load = (name: string) => {
  const result = loadConfig(readFileSync(join(DIR, name), "utf8"), `examples/${name}`, {
    strict: true,
  });
  if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  return result.config;
};

describe("examples/", () => {
  it("holds one example per canary strategy", () => {
    expect(readdirSync(DIR).sort()).toEqual([
      "dedicated-canary.yml",
      "environment-waves.yml",
      "rotating-canary.yml",
    ]);
  });

  it("dedicated-canary.yml: a fixed canary first, approval before production", () => {
    const config = load("dedicated-canary.yml");
    expect([...resolveWaveClusters(config)]).toEqual([
      ["canary", ["canary-eu-1"]],
      ["wave-1", ["dev-eu-1", "dev-us-1"]],
      ["wave-2", ["prod-eu-1", "prod-eu-2", "prod-us-1"]],
    ]);
    expect(config.waves[2]?.requireApproval).toBe(true);
    expect(config.canary).toBeUndefined();
  });

  it("environment-waves.yml: waves by env label, dev then staging then prod", () => {
    const config = load("environment-waves.yml");
    expect([...resolveWaveClusters(config)]).toEqual([
      ["dev", ["dev-1", "dev-2"]],
      ["staging", ["staging-1"]],
      ["prod-eu", ["prod-eu-1", "prod-eu-2"]],
      ["prod-us", ["prod-us-1"]],
    ]);
    expect(config.waves.every((w) => w.selector !== undefined && w.clusters === undefined)).toBe(
      true,
    );
  });

  it("rotating-canary.yml: canary rules with a fallback", () => {
    const config = load("rotating-canary.yml");
    expect(config.canary?.rules.map((r) => r.clusters)).toEqual([
      ["payments-canary"],
      ["search-canary"],
    ]);
    expect(config.canary?.fallback).toEqual(["general-canary"]);
    expect(config.healthChecks["checkout-success"]).toMatchObject({ interval: 60_000 });
  });
});
