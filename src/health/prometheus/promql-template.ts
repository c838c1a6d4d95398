/**
 * Fills `{cluster}`, `{wave}` and `{revision}` into a PromQL query. Values are escaped for a
 * double-quoted PromQL string (backslash, double quote, newlines), so a hostile cluster name
 * cannot close the label matcher and change the query.
 */

export interface QueryVariables {
  cluster: string;
  wave: string;
  revision: string;
}

/** Escapes text for the inside of a double-quoted PromQL string literal. */
export function escapePromQlString(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
}

/** Replaces each `{cluster}`, `{wave}`, `{revision}` with its escaped value. */
export function renderQuery(query: string, vars: QueryVariables): string {
  return query.replace(/\{(cluster|wave|revision)\}/g, (_, name: keyof QueryVariables) =>
    escapePromQlString(vars[name]),
  );
}
