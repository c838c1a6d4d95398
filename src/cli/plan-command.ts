/**
 * `waves plan --revision <sha> [--repo <path>] [--changed <path>...] [--config <file>]`: prints,
 * per wave, its clusters and the unified diff its promotion commit would make to a local
 * checkout. Exit 0 when every file bumps cleanly, 1 for configuration or bump errors, 2 for usage.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { formatConfigErrors } from "../config/config-error.js";
import { formatDuration } from "../config/duration.js";
import { DEFAULT_CONFIG_FILE, readConfigFile } from "../config/load-config.js";
import type { WavesConfig } from "../config/waves.schema.js";
import { bumpFiles } from "../gitops/bump/bump-files.js";
import { unifiedDiff } from "../gitops/diff.js";
import { PlanError } from "../plan/plan-error.js";
import { planRollout } from "../plan/plan-rollout.js";
import { shouldStartRollout } from "../plan/trigger.js";
import type { RolloutPlan, WavePlan } from "../plan/types.js";
import { redact } from "../util/redact.js";
import type { CliIo } from "./cli-io.js";

const USAGE = `usage: waves plan --revision <sha> [options]

Prints each wave of the rollout of <sha>: its clusters, checks and timings, and the unified
diff its promotion commit would make to the files of a local checkout (nothing is written).

  --revision <sha>          the revision to roll out (7 to 40 hex characters)
  --repo <path>             the checkout of the GitOps repository (default: .)
  --changed <path>...       the files the change touched (picks a rotating canary and
                            says whether a push would start a rollout)
  --config <file>           configuration (default <repo>/${DEFAULT_CONFIG_FILE})
  --source-repo <owner/name>  repository the kustomize remote refs point at
                            (default: from the checkout's origin remote)

exit status: 0 ok, 1 configuration or bump errors, 2 usage error
`;

export interface PlanArgs {
  revision: string;
  repo: string;
  changed?: string[];
  config?: string;
  sourceRepo?: string;
}

type Parsed = { ok: true; args: PlanArgs } | { ok: false; help?: true; error?: string };

const VALUES = {
  "--revision": "revision",
  "--repo": "repo",
  "--config": "config",
  "--source-repo": "sourceRepo",
} as const;

/** Parses the flags; `--changed` takes every following argument up to the next option. */
export function parsePlanArgs(argv: readonly string[]): Parsed {
  const values: Partial<Record<(typeof VALUES)[keyof typeof VALUES], string>> = {};
  let changed: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { ok: false, help: true };
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s) : [arg];
    if (flag === "--changed") {
      changed ??= [];
      if (inline !== undefined) changed.push(inline);
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) changed.push(argv[++i]!);
      continue;
    }
    const key = VALUES[flag as keyof typeof VALUES];
    if (!key) return { ok: false, error: `unknown option '${arg}'` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") return { ok: false, error: `${flag} needs a value` };
    values[key] = value;
  }
  if (!values.revision) return { ok: false, error: "--revision is required" };
  if (!/^[0-9a-f]{7,40}$/i.test(values.revision)) {
    return {
      ok: false,
      error: `--revision must be a commit SHA of 7 to 40 hex characters, got '${values.revision}'`,
    };
  }
  if (values.sourceRepo && !/^[^/\s]+\/[^/\s]+$/.test(values.sourceRepo)) {
    return { ok: false, error: "--source-repo must be owner/name" };
  }
  return {
    ok: true,
    args: {
      revision: values.revision,
      repo: values.repo ?? ".",
      changed,
      config: values.config,
      sourceRepo: values.sourceRepo,
    },
  };
}

/**
 * `owner/name` from a hosted remote URL (https, ssh or scp-like); undefined for local paths and
 * anything without two path segments.
 */
export function repoSlugFromUrl(url: string): string | undefined {
  const text = url.trim();
  let path: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.toLowerCase().startsWith("file:")) {
    try {
      path = new URL(text).pathname;
    } catch {
      return undefined;
    }
  } else {
    path = /^[^/@\s]+@[^:/\s]+:(.+)$/.exec(text)?.[1];
  }
  const match = path ? /([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(path) : null;
  return match ? `${match[1]}/${match[2]}` : undefined;
}

async function originSlug(repo: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(
      "git",
      ["-C", repo, "config", "--get", "remote.origin.url"],
      { timeout: 10_000 },
    );
    return repoSlugFromUrl(stdout);
  } catch {
    return undefined;
  }
}

/** Reads a repository file, refusing symlinks that lead outside the checkout. */
function repoReader(root: string): (path: string) => string | undefined {
  const realRoot = realpathSync(root);
  return (path) => {
    const full = join(root, path);
    if (!existsSync(full)) return undefined;
    const real = realpathSync(full);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined;
    return readFileSync(real, "utf8");
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function waveHeader(wave: WavePlan, total: number): string {
  const facts = [
    `wait ${formatDuration(wave.waitTimeMs)}`,
    `checks ${wave.checks.map((check) => check.name).join(", ") || "none"}`,
    `progress deadline ${formatDuration(wave.progressDeadlineMs)}`,
  ];
  if (wave.requireApproval) facts.push(`needs /approve ${wave.name}`);
  else if (!wave.autoMerge) facts.push("merged by hand");
  return [
    `== wave ${wave.index + 1}/${total}: ${wave.name} (${plural(wave.clusters.length, "cluster")}: ${wave.clusters.join(", ")})`,
    `   ${facts.join(" · ")}`,
  ].join("\n");
}

function planHeader(plan: RolloutPlan): string {
  const clusters = plan.waves.reduce((sum, wave) => sum + wave.clusters.length, 0);
  const lines = [
    `Rollout of ${plan.revision}: ${plural(plan.waves.length, "wave")}, ${plural(clusters, "cluster")}`,
  ];
  if (plan.canary) lines.push(`canary: ${plan.canary.clusters.join(", ")} (${plan.canary.reason})`);
  for (const skipped of plan.skipped ?? [])
    lines.push(`skipped wave ${skipped.name}: ${skipped.reason}`);
  return lines.join("\n");
}

async function loadPlanConfig(
  args: PlanArgs,
  repo: string,
  io: CliIo,
): Promise<WavesConfig | number> {
  const given = args.config ?? join(repo, DEFAULT_CONFIG_FILE);
  const path = isAbsolute(given) ? given : resolve(io.cwd, given);
  const shown = relative(io.cwd, path) || given;
  try {
    const result = await readConfigFile(path, shown);
    if (result.ok) return result.config;
    io.err(formatConfigErrors(result.errors));
    io.err(`${shown}: ${plural(result.errors.length, "error")}`);
    return 1;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : redact((error as Error).message);
    io.err(`waves plan: cannot read ${shown}: ${reason}`);
    return 2;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = parsePlanArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      io.out(USAGE);
      return 0;
    }
    io.err(`waves plan: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { args } = parsed;
  const repo = resolve(io.cwd, args.repo);
  if (!existsSync(repo)) {
    io.err(`waves plan: the repository folder ${args.repo} does not exist`);
    return 2;
  }
  const config = await loadPlanConfig(args, repo, io);
  if (typeof config === "number") return config;

  if (args.changed) {
    const decision = shouldStartRollout(config, args.changed);
    if (!decision.start) {
      io.out(`No rollout would start: ${decision.reason}.`);
      return 0;
    }
    io.out(`A push would start a rollout: ${decision.reason}.`);
  }
  let plan: RolloutPlan;
  try {
    plan = planRollout(config, { revision: args.revision, changedPaths: args.changed ?? [] });
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    io.err(`waves plan: ${error.message}`);
    return 1;
  }
  const sourceRepo = args.sourceRepo ?? (await originSlug(repo));
  const read = repoReader(repo);
  const out: string[] = [planHeader(plan)];
  let errors = 0;
  for (const wave of plan.waves) {
    out.push("", waveHeader(wave, plan.waves.length));
    const bump = bumpFiles(wave.files, plan.revision, read, { sourceRepo });
    for (const change of bump.changes)
      out.push(unifiedDiff(change.path, change.before, change.content).trimEnd());
    const failed = new Set(bump.errors.map((error) => error.path));
    const touched = new Set(bump.changes.map((change) => change.path));
    const unchanged = new Set(
      bump.records
        .filter((record) => !touched.has(record.path) && !failed.has(record.path))
        .map((record) => record.path),
    );
    for (const path of unchanged) out.push(`   ${path}: already at ${plan.revision}`);
    for (const error of bump.errors) io.err(`waves plan: wave ${wave.name}: ${error.message}`);
    errors += bump.errors.length;
  }
  io.out(out.join("\n"));
  if (errors > 0) {
    io.err(`waves plan: ${plural(errors, "file")} cannot be bumped`);
    return 1;
  }
  return 0;
}
