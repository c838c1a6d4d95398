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

const readBack = new Map<string, boolean>();

/**
 * Whether scalar source `text` reads back as exactly `expected` as a block value and, when it may
 * sit in flow context, inside a flow list: so it can neither change type nor break the structure
 * around it. Memoised: a wave writes the same revision into every file.
 */
export function readsBackAs(
  text: string,
  expected: string,
  options: { strTagged?: boolean; inFlow?: boolean } = {},
): boolean {
  const { strTagged = false, inFlow = true } = options;
  const key = `${strTagged ? "!" : "-"}${inFlow ? "f" : "b"}${text}\u0000${expected}`;
  const known = readBack.get(key);
  if (known !== undefined) return known;
  const source = strTagged ? `!!str ${text}` : text;
  let ok: boolean;
  try {
    const block = parse(`k: ${source}\n`) as { k?: unknown } | null;
    const flow = inFlow ? (parse(`[${source}]\n`) as unknown) : [expected];
    ok = block?.k === expected && Array.isArray(flow) && flow.length === 1 && flow[0] === expected;
  } catch {
    ok = false;
  }
  if (readBack.size >= 10_000) readBack.clear();
  readBack.set(key, ok);
  return ok;
}

/** Whether a value can be written unquoted, in any context, and still read back as this string. */
export function isPlainSafe(value: string): boolean {
  return PLAIN_SAFE.test(value) && readsBackAs(value, value);
}

/** Whether the scalar carries an explicit `!!str` tag. */
export function isStrTagged(node: Scalar): boolean {
  return node.tag === STR_TAG;
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
