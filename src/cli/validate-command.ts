/**
 * `waves validate [--strict] [file]`: checks a configuration and prints every error, or one
 * OK line. Exit 0 when valid, 1 when not, 2 for usage errors and unreadable files.
 */
import { isAbsolute, join, relative } from "node:path";
import { formatConfigErrors } from "../config/config-error.js";
import { DEFAULT_CONFIG_FILE, readConfigFile } from "../config/load-config.js";
import { resolveWaveClusters } from "../config/resolve-wave-clusters.js";
import { redact } from "../util/redact.js";
import type { CliIo } from "./cli-io.js";

const USAGE = `usage: waves validate [--strict] [file]

Checks a gitops-waves configuration (default ${DEFAULT_CONFIG_FILE}) and prints every
problem as file:line:column: path: message.

  --strict   treat warnings (e.g. a cluster missing from clusters:) as errors
`;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let strict = false;
  const files: string[] = [];
  for (const arg of args) {
    if (arg === "--help" || arg === "-h") {
      io.out(USAGE);
      return 0;
    }
    if (arg === "--strict") strict = true;
    else if (arg.startsWith("-") && arg !== "-") {
      io.err(`waves validate: unknown option '${arg}'\n\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length > 1) {
    io.err(`waves validate: expected one file, got ${files.length}\n\n${USAGE}`);
    return 2;
  }
  const given = files[0] ?? DEFAULT_CONFIG_FILE;
  const path = isAbsolute(given) ? given : join(io.cwd, given);
  const shown = isAbsolute(given) ? given : relative(io.cwd, path) || given;
  let result: Awaited<ReturnType<typeof readConfigFile>>;
  try {
    result = await readConfigFile(path, shown, { strict });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : redact((error as Error).message);
    io.err(`waves validate: cannot read ${shown}: ${reason}`);
    return 2;
  }
  if (result.warnings?.length) {
    io.err(
      formatConfigErrors(result.warnings)
        .split("\n")
        .map((line) => line.replace(/^([^:]+:\d+:\d+): /, "$1: warning: "))
        .join("\n"),
    );
  }
  if (!result.ok) {
    io.err(formatConfigErrors(result.errors));
    io.err(`${shown}: ${plural(result.errors.length, "error")}`);
    return 1;
  }
  const waves = resolveWaveClusters(result.config);
  const clusters = new Set([...waves.values()].flat());
  for (const rule of result.config.canary?.rules ?? [])
    for (const c of rule.clusters) clusters.add(c);
  for (const c of result.config.canary?.fallback ?? []) clusters.add(c);
  io.out(`OK: ${shown} — ${plural(waves.size, "wave")}, ${plural(clusters.size, "cluster")}`);
  return 0;
}
