import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type YAMLError } from "yaml";
import { checkReferences } from "./check-references.js";
import type { ConfigError, ConfigIssue } from "./config-error.js";
import { formatPath, sortConfigErrors } from "./config-error.js";
import { translateIssues } from "./translate-issues.js";
import { WavesConfig } from "./waves.schema.js";
import { locate, type Span, spanOf } from "./yaml-locate.js";

/**
 * The outcome of loading a configuration. `warnings` (e.g. a wave lists a cluster the
 * `clusters:` map does not have) never fail a load unless `strict` is set.
 */
export type LoadResult =
  | { ok: true; config: WavesConfig; warnings?: ConfigError[] }
  | { ok: false; errors: ConfigError[]; warnings?: ConfigError[] };

export interface LoadOptions {
  /** Treat warnings as errors (`waves validate --strict`). */
  strict?: boolean;
}

export const DEFAULT_CONFIG_FILE = ".github/waves.yml";
/** Larger files are refused before parsing. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Alias expansions allowed while building the value; more is an alias bomb. */
export const MAX_ALIAS_COUNT = 100;
/** YAML syntax errors reported at most (a broken file can produce thousands). */
const MAX_SYNTAX_ERRORS = 20;

const START: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function fail(file: string, span: Span, message: string, path = ""): LoadResult {
  return { ok: false, errors: [{ file, ...span, path, message }] };
}

function syntaxMessage(error: YAMLError, text: string): string {
  if (error.code === "DUPLICATE_KEY") {
    // The error's range may cover only the key's first character: read the key to its colon.
    const rest = text.slice(error.pos[0], text.indexOf("\n", error.pos[0]) >>> 0);
    const key = (/^("[^"]*"|'[^']*'|[^:#]*?)\s*:(\s|$)/.exec(rest)?.[1] ?? rest).trim();
    return `key '${key}' appears twice in the same mapping: keep one`;
  }
  if (/call stack/i.test(error.message)) {
    return "the file nests lists or mappings too deeply to read: a waves configuration needs only a few levels";
  }
  if (error.code === "MULTIPLE_DOCS") {
    return "the file holds several YAML documents (---): the configuration must be one document";
  }
  return `YAML syntax error: ${error.message}`;
}

/** Results kept by {@link loadConfig}: the app reads the same file on every event. */
const CACHE_ENTRIES = 16;
const cache = new Map<string, LoadResult>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Parses and validates a `.github/waves.yml`. Every problem is reported at once, each with the
 * line and column it is at; nothing throws for bad input.
 *
 * The result is deeply frozen and shared: loading the same text again (every webhook event
 * reads the file) returns it from a small cache instead of parsing a large fleet's config anew.
 */
export function loadConfig(
  text: string,
  file = DEFAULT_CONFIG_FILE,
  options: LoadOptions = {},
): LoadResult {
  const key = createHash("sha256")
    .update(`${file}\0${options.strict ? "strict" : ""}\0`)
    .update(text)
    .digest("base64");
  const cached = cache.get(key);
  if (cached) {
    // Most recently used last: the oldest entry is the one evicted.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const result = deepFreeze(parseAndValidate(text, file, options));
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

function parseAndValidate(text: string, file: string, options: LoadOptions): LoadResult {
  const size = Buffer.byteLength(text, "utf8");
  if (size > MAX_CONFIG_BYTES) return tooLarge(file, size);
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
    });
  } catch (error) {
    return fail(file, START, `the file cannot be parsed as YAML: ${(error as Error).message}`);
  }
  if (doc.errors.length > 0) {
    const errors: ConfigError[] = [];
    const seen = new Set<string>();
    for (const error of doc.errors) {
      const message = syntaxMessage(error, text);
      // A stack overflow repeats once per level: say it once.
      if (seen.has(message) && /too deeply/.test(message)) continue;
      seen.add(message);
      errors.push({ file, ...spanOf(lineCounter, error.pos[0], error.pos[1]), path: "", message });
      if (errors.length === MAX_SYNTAX_ERRORS) break;
    }
    return { ok: false, errors: sortConfigErrors(errors) };
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return fail(file, START, "the file is empty: it needs at least a waves: list");
  }
  if (!isMap(contents)) return notMapping(file, lineCounter, contents.range ?? [0, 0]);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) return aliasBomb(file, doc, lineCounter);
    return fail(file, START, `the file cannot be read as data: ${(error as Error).message}`);
  }
  const parsed = WavesConfig.safeParse(data);
  const issues: ConfigIssue[] = [
    ...(parsed.success ? [] : translateIssues(parsed.error.issues, data)),
    ...checkReferences(data),
  ];
  const seen = new Set<string>();
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  for (const issue of issues) {
    const error: ConfigError = {
      file,
      ...locate(doc, lineCounter, issue.path, issue.at),
      path: formatPath(issue.path),
      message: issue.message,
    };
    const key = `${error.line}:${error.column}:${error.path}:${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (issue.severity === "warning" && !options.strict ? warnings : errors).push(error);
  }
  const sortedWarnings = sortConfigErrors(warnings);
  if (errors.length === 0 && parsed.success) {
    return sortedWarnings.length
      ? { ok: true, config: parsed.data, warnings: sortedWarnings }
      : { ok: true, config: parsed.data };
  }
  return sortedWarnings.length
    ? { ok: false, errors: sortConfigErrors(errors), warnings: sortedWarnings }
    : { ok: false, errors: sortConfigErrors(errors) };
}

function tooLarge(file: string, size: number): LoadResult {
  return fail(
    file,
    START,
    `the file is ${Math.ceil(size / 1024)} KiB; a waves configuration may be at most ${MAX_CONFIG_BYTES / 1024} KiB`,
  );
}

function notMapping(file: string, lineCounter: LineCounter, range: readonly number[]): LoadResult {
  return fail(
    file,
    spanOf(lineCounter, range[0] ?? 0, range[1] ?? 0),
    "the top level must be a mapping of settings (waves:, clusters:, ...), not a list or a single value",
  );
}

function aliasBomb(
  file: string,
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
): LoadResult {
  let span = START;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        span = spanOf(lineCounter, node.range[0], node.range[1]);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return fail(
    file,
    span,
    `the file's YAML aliases (*name) expand into too much data (more than ${MAX_ALIAS_COUNT} alias expansions), as in an alias bomb: write the values out or use fewer aliases`,
  );
}

/**
 * Reads and loads a configuration file for the CLI. Files over the size limit are refused
 * without reading them; an unreadable file throws (the caller reports it as a usage error).
 */
export async function readConfigFile(
  path: string,
  file = path,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${file} is not a file`);
  if (info.size > MAX_CONFIG_BYTES) return tooLarge(file, info.size);
  return loadConfig(await readFile(path, "utf8"), file, options);
}
