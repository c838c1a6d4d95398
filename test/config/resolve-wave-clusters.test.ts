import { describe, expect, it } from "vitest";
import { loadConfig, resolveWaveClusters, type WavesConfig } from "../../src/config/index.js";

function config(yaml: string): WavesConfig {
  const result = loadConfig(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe("resolveWaveClusters", () => {
  it("keeps the listed order when there is no clusters map", () => {
    const c = config("waves:\n  - name: a\n    clusters: [z, y]\n  - name: b\n    clusters: [x]\n");
    expect([...resolveWaveClusters(c)]).toEqual([
      ["a", ["z", "y"]],
      ["b", ["x"]],
    ]);
  });

  it("resolves selectors and lists in the order of the clusters map", () => {
    const c = config(
      [
        "clusters:",
        "  p1: { labels: { env: prod, region: eu } }",
        "  d1: { labels: { env: dev } }",
        "  p2: { labels: { env: prod, region: us } }",
        "  d2: { labels: { env: dev } }",
        "  s1: {}",
        "waves:",
        "  - name: dev",
        "    clusters: [s1]",
        "    selector: { env: dev }",
        "  - name: eu",
        "    selector: { env: prod, region: eu }",
        "  - name: rest",
        "    clusters: [p2]",
        "",
      ].join("\n"),
    );
    expect([...resolveWaveClusters(c)]).toEqual([
      ["dev", ["d1", "d2", "s1"]],
      ["eu", ["p1"]],
      ["rest", ["p2"]],
    ]);
  });

  it("keeps clusters the map does not know after the known ones", () => {
    const c = config(
      "clusters:\n  b: {}\n  a: {}\nwaves:\n  - name: w\n    clusters: [new, a, b]\n",
    );
    expect(resolveWaveClusters(c).get("w")).toEqual(["b", "a", "new"]);
  });
});
