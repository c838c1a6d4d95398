import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
} from "yaml";
import type { ConfigPath } from "./config-error.js";

/** A span in the file, 1-based and end-exclusive on the column. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

type Range = readonly [number, number, ...number[]];

/** The span of a pair of offsets. */
export function spanOf(lineCounter: LineCounter, start: number, end: number): Span {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(start, end));
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function findPair(doc: Document, map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (keyText(item) === key) return item;
  }
  // `<<: *anchor` merges: the key lives in the merged mapping.
  for (const item of map.items) {
    if (keyText(item) !== "<<") continue;
    const merged = deref(doc, item.value);
    const sources = isSeq(merged) ? merged.items.map((i) => deref(doc, i)) : [merged];
    for (const source of sources) {
      const found = findPair(doc, source, key);
      if (found) return found;
    }
  }
  return undefined;
}

function rangeOf(node: unknown): Range | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as Node).range;
    if (range) return range;
  }
  return undefined;
}

function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node) && node.value === null) return true;
  const range = rangeOf(node);
  return range !== undefined && range[0] === range[1];
}

/**
 * Finds where `path` is written. Points at the key when asked to or when the value is empty;
 * when part of the path does not exist (a missing field), at the deepest part that does.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: ConfigPath,
  at: "key" | "value" = "value",
): Span {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  let missing = false;
  for (const segment of path) {
    const current = deref(doc, node);
    if (isSeq(current) && typeof segment === "number" && segment < current.items.length) {
      node = current.items[segment];
      pair = undefined;
      continue;
    }
    const found = findPair(doc, current, String(segment));
    if (!found) {
      missing = true;
      break;
    }
    pair = found;
    node = found.value;
  }
  const keyRange = pair && isPair(pair) ? rangeOf(pair.key) : undefined;
  const valueRange = rangeOf(node);
  if (keyRange && (at === "key" || missing || isEmptyValue(node))) {
    return spanOf(lineCounter, keyRange[0], keyRange[1]);
  }
  if (keyRange && valueRange && (isMap(node) || isSeq(node)) && !missing) {
    // A block collection starts on the line below its key: point at the key, cover the block.
    return spanOf(lineCounter, keyRange[0], valueRange[1]);
  }
  if (valueRange) {
    const end = missing
      ? Math.min(valueRange[1], lineEnd(lineCounter, valueRange[0]))
      : valueRange[1];
    return spanOf(lineCounter, valueRange[0], end);
  }
  return { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function lineEnd(lineCounter: LineCounter, offset: number): number {
  const { line } = lineCounter.linePos(offset);
  const next = lineCounter.lineStarts[line];
  return next === undefined ? Number.MAX_SAFE_INTEGER : next - 1;
}
