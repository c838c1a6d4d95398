import type { WavesConfig } from "./waves.schema.js";

/** Whether a cluster's labels satisfy every key of a selector. */
export function matchesSelector(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/**
 * Wave name → its cluster names: the listed ones plus those whose labels match the wave's
 * selector, in the order of the `clusters:` map (listed order when there is no map).
 */
export function resolveWaveClusters(config: WavesConfig): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const clusters = config.clusters;
  for (const wave of config.waves) {
    const listed = wave.clusters ?? [];
    if (!clusters) {
      result.set(wave.name, [...new Set(listed)]);
      continue;
    }
    const members = Object.entries(clusters)
      .filter(
        ([name, cluster]) =>
          listed.includes(name) ||
          (wave.selector !== undefined && matchesSelector(wave.selector, cluster.labels)),
      )
      .map(([name]) => name);
    const unknown = listed.filter((name) => !(name in clusters));
    result.set(wave.name, [...new Set([...members, ...unknown])]);
  }
  return result;
}
