/**
 * Renders the configuration reference (`docs/configuration.md`) from the JSON Schema, so the
 * reference can never drift from what the loader accepts.
 */

type JsonSchema = Record<string, unknown>;

export interface DocExample {
  /** File name, e.g. `dedicated-canary.yml`. */
  name: string;
  text: string;
}

interface Row {
  field: string;
  type: string;
  required: boolean;
  defaultValue: string;
  description: string;
}

function obj(value: unknown): JsonSchema | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as JsonSchema)
    : undefined;
}

function list(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.flatMap((v) => (obj(v) ? [v as JsonSchema] : [])) : [];
}

const DURATION = "^(?:\\d+(?:d|h|ms|m|s))+$";

/** A short human type: `duration`, `list of text`, `"a" \| "b"`, `map of name → mapping`. */
export function typeOf(schema: JsonSchema): string {
  if (schema.not !== undefined) return "not allowed";
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  const alternatives = list(schema.anyOf).concat(list(schema.oneOf));
  if (alternatives.length) {
    const kinds = alternatives.map((alt) => {
      const which = obj(obj(alt.properties)?.type)?.const;
      return which !== undefined ? `${String(which)} check` : typeOf(alt);
    });
    return [...new Set(kinds)].join(" or ");
  }
  switch (schema.type) {
    case "string":
      if (schema.pattern === DURATION) return "duration";
      if (schema.format === "uri") return "URL";
      return "text";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return `list of ${typeOf(obj(schema.items) ?? {})}`;
    case "object": {
      const values = obj(schema.additionalProperties);
      if (values && !schema.properties) return `map of name → ${typeOf(values)}`;
      return "mapping";
    }
    default:
      return "any";
  }
}

function defaultOf(schema: JsonSchema): string {
  if (!("default" in schema)) return "";
  const value = schema.default;
  if (value && typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length) {
    return "";
  }
  return `\`${JSON.stringify(value)}\``;
}

function describe(schema: JsonSchema): string {
  return String(schema.description ?? "").replace(/\|/g, "\\|");
}

/** Every field under `schema`, depth first, with `prefix` as its path. */
function collect(
  schema: JsonSchema,
  prefix: string,
  rows: Row[],
  required = false,
  variant = "",
): void {
  const alternatives = list(schema.anyOf).concat(list(schema.oneOf));
  const objects = alternatives.filter((alt) => alt.type === "object");
  if (prefix) {
    rows.push({
      field: `\`${prefix}\`${variant}`,
      type: typeOf(schema),
      required,
      defaultValue: defaultOf(schema),
      description: describe(schema),
    });
  }
  if (objects.length > 1) {
    for (const alt of objects) {
      const which = obj(obj(alt.properties)?.type)?.const;
      collectMembers(
        alt,
        prefix,
        rows,
        which !== undefined ? ` (type: ${String(which)})` : variant,
      );
    }
    return;
  }
  for (const alt of objects) collectMembers(alt, prefix, rows, variant);
  collectMembers(schema, prefix, rows, variant);
}

function collectMembers(schema: JsonSchema, prefix: string, rows: Row[], variant = ""): void {
  const properties = obj(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const dot = prefix ? `${prefix}.` : "";
  if (properties) {
    for (const [name, child] of Object.entries(properties)) {
      const childSchema = obj(child);
      if (childSchema) collect(childSchema, `${dot}${name}`, rows, required.has(name), variant);
    }
  }
  const values = obj(schema.additionalProperties);
  if (values && (values.type === "object" || values.oneOf || values.anyOf)) {
    collectMembers(values, `${dot}<name>`, rows, variant);
    for (const alt of list(values.oneOf).concat(list(values.anyOf))) {
      const which = obj(obj(alt.properties)?.type)?.const;
      const label = which !== undefined ? ` (type: ${String(which)})` : variant;
      collectMembers(alt, `${dot}<name>`, rows, label);
    }
  }
  const items = obj(schema.items);
  if (schema.type === "array" && items?.type === "object") {
    collectMembers(items, `${prefix}[]`, rows, variant);
  }
}

function table(rows: Row[]): string[] {
  const out = [
    "| Field | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    out.push(
      `| ${row.field} | ${row.type} | ${row.required ? "yes" : ""} | ${row.defaultValue} | ${row.description} |`,
    );
  }
  return out;
}

/** The whole reference page. */
export function renderConfigurationDoc(
  schema: JsonSchema,
  examples: readonly DocExample[],
): string {
  const out: string[] = [
    "<!-- Generated by `npm run schema` from src/config/waves.schema.ts: do not edit by hand. -->",
    "",
    "# Configuration reference: `.github/waves.yml`",
    "",
    "The configuration lives in `.github/waves.yml` on the default branch of the repository that",
    "receives merges. Check it with `npx waves validate [file]`; editors complete it with the JSON",
    "Schema in `schema/waves.schema.json` (for yaml-language-server, start the file with",
    "`# yaml-language-server: $schema=<url of schema/waves.schema.json>`).",
    "",
    "Durations are written like `500ms`, `90s`, `30m`, `1h30m` or `2d`. Tokens are never written",
    "in the file: `tokenEnv` names the environment variable that holds one.",
    "",
  ];
  const top = obj(schema.properties) ?? {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const [name, child] of Object.entries(top)) {
    const childSchema = obj(child);
    if (!childSchema) continue;
    const rows: Row[] = [];
    collect(childSchema, name, rows, required.has(name));
    out.push(`## \`${name}\``, "", describe(childSchema), "", ...table(rows), "");
  }
  out.push(
    "## Checks beyond the schema",
    "",
    "`waves validate` also reports, each with its line and column:",
    "",
    "- a wave listing a cluster twice, a cluster in two waves (also through selectors), duplicate wave names;",
    "- an empty wave (no clusters and no selector, or a selector that matches nothing), and a selector with no `clusters:` map;",
    "- a health check name that is neither built in (`argocd-sync`, `pod-health`) nor under `healthChecks:`;",
    "- a Prometheus check with no `prometheus:` instance, and instance names that do not exist;",
    "- several named `argocd:` (or `prometheus:`) instances with a cluster that does not say which one serves it;",
    "- a promotion path without `{cluster}`, or one that leaves the repository (`..`, absolute paths, backslashes, NUL);",
    "- a token written inline, credentials in a URL, YAML alias bombs, files over 256 KiB, duplicate keys.",
    "",
    "Warnings (printed, but the file is accepted; `waves validate --strict` makes them errors):",
    "",
    "- a wave or canary rule lists a cluster the `clusters:` map does not have (the map only adds labels and overrides);",
    "- a wave (or `defaults`) lists no health checks, so its gate passes on bake time alone;",
    "- a Prometheus query without `{cluster}`, so every cluster is judged on one fleet-wide result.",
    "",
  );
  if (examples.length) {
    out.push("## Examples", "");
    for (const example of examples) {
      out.push(
        `### \`examples/${example.name}\``,
        "",
        "```yaml",
        example.text.trimEnd(),
        "```",
        "",
      );
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
