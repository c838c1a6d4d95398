import { wavesJsonSchema } from "./json-schema.js";

let known: string[] | undefined;

/** Every field name the schema knows, collected once from the JSON Schema. */
function knownFields(): string[] {
  if (known) return known;
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties" && value && typeof value === "object") {
        for (const name of Object.keys(value)) names.add(name);
      }
      visit(value);
    }
  };
  visit(wavesJsonSchema());
  known = [...names].sort();
  return known;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}

/** The known field name closest to a misspelt one, if any is close enough. */
export function suggest(
  word: string,
  candidates: readonly string[] = knownFields(),
): string | undefined {
  const lower = word.toLowerCase().replace(/[-_]/g, "");
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(lower, candidate.toLowerCase());
    if (d <= bestDistance && d < (best ? distance(lower, best.toLowerCase()) : Infinity)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
