/**
 * Fills `{cluster}`, `{wave}` and `{revision}` into a PromQL query. Each value is escaped for
 * the string literal it lands in (double-quoted, single-quoted or raw backtick), so a hostile
 * cluster name cannot close the label matcher and change the query; inside the value of a
 * regex matcher (`=~`, `!~`) it is also regex-quoted, so `prod.eu` matches only itself and not
 * `prodXeu`, and `a|b` cannot widen the match to other clusters.
 */

export interface QueryVariables {
  cluster: string;
  wave: string;
  revision: string;
}

type Quote = '"' | "'" | "`";

const PLACEHOLDER = /^\{(cluster|wave|revision)\}/;
/** RE2's metacharacters (Go's regexp.QuoteMeta). */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** Escapes text for the inside of a double-quoted (default) or single-quoted PromQL string. */
export function escapePromQlString(value: string, quote: '"' | "'" = '"'): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(quote === '"' ? /"/g : /'/g, `\\${quote}`)
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
}

/** A regex that matches exactly `value`. */
export function quoteRegex(value: string): string {
  return value.replace(REGEX_META, "\\$&");
}

/** Whether the string literal opening at `at` is the value of a regex matcher. */
function opensRegex(query: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(query[i]!)) i--;
  return query[i] === "~" && (query[i - 1] === "=" || query[i - 1] === "!");
}

function fill(value: string, quote: Quote | undefined, regex: boolean): string {
  const text = regex ? quoteRegex(value) : value;
  if (quote === "`") {
    // A raw string has no escapes: a backtick in the value could only end it.
    if (text.includes("`")) {
      throw new Error(
        `the value '${value.replaceAll("`", "'")}' contains a backtick and cannot go into a \`raw\` PromQL string: use double quotes there`,
      );
    }
    return text;
  }
  return escapePromQlString(text, quote ?? '"');
}

/**
 * Replaces each `{cluster}`, `{wave}`, `{revision}` with its value, escaped for where it
 * stands. Throws (with a message for the check's verdict) only when a value cannot be written
 * safely there.
 */
export function renderQuery(query: string, vars: QueryVariables): string {
  let out = "";
  let quote: Quote | undefined;
  let regex = false;
  for (let i = 0; i < query.length; ) {
    const char = query[i]!;
    const placeholder = char === "{" ? PLACEHOLDER.exec(query.slice(i)) : null;
    if (placeholder) {
      out += fill(vars[placeholder[1] as keyof QueryVariables], quote, regex);
      i += placeholder[0].length;
      continue;
    }
    if (quote === undefined) {
      if (char === '"' || char === "'" || char === "`") {
        quote = char;
        regex = opensRegex(query, i);
      }
    } else if (char === "\\" && quote !== "`") {
      // An escape pair is copied whole: `\"` does not end the string.
      out += query.slice(i, i + 2);
      i += 2;
      continue;
    } else if (char === quote) {
      quote = undefined;
      regex = false;
    }
    out += char;
    i += 1;
  }
  return out;
}
