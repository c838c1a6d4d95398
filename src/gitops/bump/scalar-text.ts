/**
 * Byte-exact scalar edits: the new value is written in the scalar's own quoting style and spliced
 * into the original text at the scalar's source range, so nothing else in the file moves.
 */
import { parse, type Scalar } from "yaml";

/** A replacement of `content.slice(start, end)` by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Where the scalar's value is written (quotes included; anchor, tag and comment excluded). */
export function scalarRange(node: Scalar): { start: number; end: number } {
  const range = node.range;
  if (!range) throw new Error("scalar has no source range");
  return { start: range[0], end: range[1] };
}

/** The value as the file states it; plain scalars keep their text (`1.10` stays `1.10`). */
export function scalarValue(content: string, node: Scalar): string {
  if (node.type === "PLAIN" || node.type === undefined) {
    const { start, end } = scalarRange(node);
    return content.slice(start, end);
  }
  return node.value === null ? "" : String(node.value);
}

const STR_TAG = "tag:yaml.org,2002:str";
const PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9._/:@+~=?&%-]*$/;

/** Whether a value can be written unquoted, in block and flow context, and still read back as this string. */
export function isPlainSafe(value: string): boolean {
  if (!PLAIN_SAFE.test(value)) return false;
  try {
    const block = parse(`k: ${value}\n`) as { k?: unknown };
    const flow = parse(`[${value}]\n`) as unknown[];
    return block.k === value && Array.isArray(flow) && flow.length === 1 && flow[0] === value;
  } catch {
    return false;
  }
}

/** Writes `value` in the scalar's style; a plain scalar that would change type gets double quotes. */
export function renderScalar(node: Scalar, value: string, fail: (detail: string) => never): string {
  switch (node.type) {
    case "QUOTE_SINGLE":
      return `'${value.replaceAll("'", "''")}'`;
    case "QUOTE_DOUBLE":
      return JSON.stringify(value);
    case "BLOCK_LITERAL":
    case "BLOCK_FOLDED":
      return fail(
        "the value is a block scalar (| or >); write it on one line to let waves bump it",
      );
    default:
      // An explicit `!!str` keeps digits a string, so they may stay unquoted.
      if (node.tag === STR_TAG && PLAIN_SAFE.test(value)) return value;
      return isPlainSafe(value) ? value : JSON.stringify(value);
  }
}

/** Applies non-overlapping edits; identical edits of one scalar (reached twice) count once. */
export function applyEdits(content: string, edits: readonly TextEdit[]): string {
  const unique = new Map<number, TextEdit>();
  for (const edit of edits) unique.set(edit.start, edit);
  const sorted = [...unique.values()].sort((a, b) => a.start - b.start);
  let out = "";
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error("overlapping edits");
    out += content.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + content.slice(cursor);
}
