/** Tolerant readers over the parsed-but-unvalidated YAML, so cross-field checks run even
 * when the schema also reports errors (every error at once). */

export type RawMap = Record<string, unknown>;

export function isRawMap(value: unknown): value is RawMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function rawMap(value: unknown): RawMap | undefined {
  return isRawMap(value) ? value : undefined;
}

export function rawList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function rawString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Strings of a list with their indexes; other items are the schema's business. */
export function rawStrings(value: unknown): { index: number; value: string }[] {
  return rawList(value).flatMap((item, index) =>
    typeof item === "string" ? [{ index, value: item }] : [],
  );
}

/** Whether labels satisfy every key of a selector. */
export function selectorMatches(selector: RawMap, labels: unknown): boolean {
  const have = rawMap(labels) ?? {};
  return Object.entries(selector).every(
    ([key, value]) => key in have && String(have[key]) === String(value),
  );
}

/** `{env: dev, region: eu}` for messages. */
export function formatSelector(selector: RawMap): string {
  const parts = Object.entries(selector).map(([key, value]) => `${key}: ${String(value)}`);
  return `{ ${parts.join(", ")} }`;
}

/** A single instance (has `url`) or a map of named instances. */
export type InstanceShape =
  | { kind: "none" }
  | { kind: "single" }
  | { kind: "named"; names: string[] };

export function instanceShape(value: unknown): InstanceShape {
  const map = rawMap(value);
  if (!map) return { kind: "none" };
  if ("url" in map) return { kind: "single" };
  return { kind: "named", names: Object.keys(map) };
}
