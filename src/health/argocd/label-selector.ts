/**
 * Kubernetes label selectors as Argo CD accepts them in `?selector=`: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k` (exists) and `!k` (absent), joined by commas (AND).
 * Both the probe (filtering on our side) and the fake Argo CD server use this.
 */

export type Requirement =
  | { key: string; op: "in"; values: string[] }
  | { key: string; op: "notin"; values: string[] }
  | { key: string; op: "exists" }
  | { key: string; op: "absent" };

export class SelectorError extends Error {
  override readonly name = "SelectorError";
}

const KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map((term) => term.trim());
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw new SelectorError(`label selector "${selector}": bad key "${key}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value)) {
    throw new SelectorError(`label selector "${selector}": bad value "${value}"`);
  }
  return value;
}

/** Parses a selector; throws `SelectorError` naming the selector and the bad part. */
export function parseSelector(selector: string): Requirement[] {
  if (selector.trim() === "") throw new SelectorError("label selector is empty");
  return splitTerms(selector).map((term): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!.split(",").map((v) => checkValue(v.trim(), selector));
      return { key: checkKey(set[1]!, selector), op: set[2] as "in" | "notin", values };
    }
    const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eq) {
      const key = checkKey(eq[1]!, selector);
      const value = checkValue(eq[3]!, selector);
      return eq[2] === "!="
        ? { key, op: "notin", values: [value] }
        : { key, op: "in", values: [value] };
    }
    if (term.startsWith("!"))
      return { key: checkKey(term.slice(1).trim(), selector), op: "absent" };
    if (term !== "") return { key: checkKey(term, selector), op: "exists" };
    throw new SelectorError(`label selector "${selector}" has an empty term`);
  });
}

/** Whether labels satisfy every requirement. */
export function matchesSelector(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const own = labels ?? {};
  return requirements.every((req) => {
    const has = Object.hasOwn(own, req.key);
    if (req.op === "exists") return has;
    if (req.op === "absent") return !has;
    if (req.op === "in") return has && req.values.includes(own[req.key]!);
    return !has || !req.values.includes(own[req.key]!);
  });
}

/**
 * One server-side selector that returns a superset of what every given selector selects, when
 * there is a cheap one: the same selector everywhere, or `key=value` selectors on one key
 * (`cluster in (a,b,c)`). Undefined when the union cannot be expressed or would be too long.
 */
export function unionSelector(selectors: readonly string[], maxLength = 2000): string | undefined {
  const distinct = [...new Set(selectors)];
  if (distinct.length === 0) return undefined;
  if (distinct.length === 1) return distinct[0];
  let key: string | undefined;
  const values: string[] = [];
  for (const selector of distinct) {
    let reqs: Requirement[];
    try {
      reqs = parseSelector(selector);
    } catch {
      return undefined;
    }
    const only = reqs.length === 1 ? reqs[0] : undefined;
    if (only?.op !== "in" || (key !== undefined && only.key !== key)) return undefined;
    key = only.key;
    values.push(...only.values);
  }
  const union = `${key} in (${[...new Set(values)].join(",")})`;
  return union.length <= maxLength ? union : undefined;
}
