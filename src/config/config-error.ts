/** One problem in a configuration file, with where it is (1-based lines and columns). */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Where in the document, e.g. `waves[1].waitTime`; empty for the whole file. */
  path: string;
  message: string;
}

/** A path inside the parsed document: keys and list indexes. */
export type ConfigPath = readonly (string | number)[];

/** A problem found before positions are known; `at: "key"` points at the key, not its value. */
export interface ConfigIssue {
  path: ConfigPath;
  message: string;
  at?: "key" | "value";
  /** Warnings do not fail the load (unless strict); they are shown by `waves validate`. */
  severity?: "warning";
}

/** Renders `waves[1].waitTime` from `["waves", 1, "waitTime"]`; odd keys are quoted. */
export function formatPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Orders errors by position, then path, so output reads top to bottom. */
export function sortConfigErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}

/** One line per error: `file:line:column: path: message`, sorted by position. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return sortConfigErrors(errors)
    .map((error) => {
      const where = `${error.file}:${error.line}:${error.column}`;
      return error.path
        ? `${where}: ${error.path}: ${error.message}`
        : `${where}: ${error.message}`;
    })
    .join("\n");
}
