/**
 * `waves health --wave <name> --revision <sha>`: evaluates one wave's health checks once
 * against the live Argo CD and Prometheus instances of the configuration (tokens from the
 * environment) and prints a per-cluster table. Exit 0 pass, 1 fail, 3 pending or unknown,
 * 2 for usage and configuration errors.
 *
 * One evaluation cannot watch a bake: `waitTime` and `failureLimit` are not applied, so the
 * answer is "how do the checks look right now".
 */
import { execFile } from "node:child_process";
import { isAbsolute, join, relative } from "node:path";
import { formatConfigErrors } from "../config/config-error.js";
import { formatDuration } from "../config/duration.js";
import { DEFAULT_CONFIG_FILE, readConfigFile } from "../config/load-config.js";
import { createHealthGate } from "../health/health-gate.js";
import type { CheckResult, GateOutcome } from "../health/types.js";
import { planRollout } from "../plan/plan-rollout.js";
import type { WavePlan } from "../plan/types.js";
import { redact } from "../util/redact.js";
import type { CliIo } from "./cli-io.js";

const USAGE = `usage: waves health --wave <name> --revision <sha> [options]

Evaluates one wave's health checks once against the live Argo CD and Prometheus instances
of the configuration (tokens are read from the environment variables it names) and prints
one row per cluster and check. waitTime and failureLimit are not applied: this is how the
checks look right now.

  --wave <name>          the wave to evaluate
  --revision <sha>       the revision the wave's clusters should run
  --config <file>        configuration file (default ${DEFAULT_CONFIG_FILE})
  --merge-commit <sha>   the promotion PR's merge commit (apps synced to it count as updated)
  --gitops-repo <dir>    local clone of the GitOps repository, to accept descendant commits
  --json                 print the outcome as JSON

exit status: 0 pass, 1 fail, 3 pending or unknown, 2 usage or configuration error
`;

interface HealthArgs {
  wave: string;
  revision: string;
  config: string;
  mergeCommit?: string;
  gitopsRepo?: string;
  json: boolean;
}

const VALUE_OPTIONS = {
  "--wave": "wave",
  "--revision": "revision",
  "--config": "config",
  "--merge-commit": "mergeCommit",
  "--gitops-repo": "gitopsRepo",
} as const;

type Parsed = { ok: true; args: HealthArgs } | { ok: false; error?: string };

export function parseHealthArgs(argv: readonly string[]): Parsed {
  const values: Partial<Record<(typeof VALUE_OPTIONS)[keyof typeof VALUE_OPTIONS], string>> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return { ok: false };
    if (arg === "--json") {
      json = true;
      continue;
    }
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s) : [arg];
    const key = VALUE_OPTIONS[flag as keyof typeof VALUE_OPTIONS];
    if (!key) return { ok: false, error: `unknown option '${arg}'` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") return { ok: false, error: `${flag} needs a value` };
    values[key] = value;
  }
  if (!values.wave) return { ok: false, error: "--wave is required" };
  if (!values.revision) return { ok: false, error: "--revision is required" };
  return {
    ok: true,
    args: {
      wave: values.wave,
      revision: values.revision,
      config: values.config ?? DEFAULT_CONFIG_FILE,
      json,
      ...(values.mergeCommit ? { mergeCommit: values.mergeCommit } : {}),
      ...(values.gitopsRepo ? { gitopsRepo: values.gitopsRepo } : {}),
    },
  };
}

/** `git merge-base --is-ancestor` in a local clone; anything but "yes" is no. */
function gitAncestry(dir: string | undefined) {
  return (ancestor: string, descendant: string): Promise<boolean> => {
    if (!dir) return Promise.resolve(ancestor === descendant);
    return new Promise((resolve) => {
      execFile(
        "git",
        ["-C", dir, "merge-base", "--is-ancestor", ancestor, descendant],
        { timeout: 10_000 },
        (error) => resolve(!error),
      );
    });
  };
}

function oneLine(text: string): string {
  return redact(text).replace(/\s+/g, " ").trim();
}

/** A plain table: cluster, check, verdict, reason (the reason is never truncated). */
export function formatHealthTable(results: readonly CheckResult[]): string {
  const rows = [
    ["CLUSTER", "CHECK", "VERDICT", "REASON"],
    ...results.map((r) => [r.cluster, r.check, r.status, oneLine(r.reason)]),
  ];
  const width = (col: number) => Math.max(...rows.map((row) => (row[col] as string).length));
  const widths = [width(0), width(1), width(2)];
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col < 3 ? cell.padEnd(widths[col] as number) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function exitCode(outcome: GateOutcome): number {
  if (outcome.status === "pass") return 0;
  if (outcome.status === "fail") return 1;
  return 3;
}

function oneShot(wave: WavePlan): WavePlan {
  return {
    ...wave,
    waitTimeMs: 0,
    checks: wave.checks.map((check) =>
      "failureLimit" in check.spec ? { ...check, spec: { ...check.spec, failureLimit: 1 } } : check,
    ),
  };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseHealthArgs(argv);
  if (!parsed.ok) {
    if (!parsed.error) {
      io.out(USAGE);
      return 0;
    }
    io.err(`waves health: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.args;
  const path = isAbsolute(args.config) ? args.config : join(io.cwd, args.config);
  const shown = isAbsolute(args.config) ? args.config : relative(io.cwd, path) || args.config;
  let loaded: Awaited<ReturnType<typeof readConfigFile>>;
  try {
    loaded = await readConfigFile(path, shown);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : redact((error as Error).message);
    io.err(`waves health: cannot read ${shown}: ${reason}`);
    return 2;
  }
  if (!loaded.ok) {
    io.err(formatConfigErrors(loaded.errors));
    io.err(`waves health: ${shown} is not valid; run 'waves validate ${shown}'`);
    return 2;
  }
  const config = loaded.config;

  let wave: WavePlan | undefined;
  try {
    const plan = planRollout(config, { revision: args.revision, changedPaths: [] });
    wave = plan.waves.find((w) => w.name === args.wave);
  } catch (error) {
    io.err(`waves health: cannot plan the rollout: ${redact((error as Error).message)}`);
    return 2;
  }
  if (!wave) {
    const known = config.waves.map((w) => w.name).join(", ");
    io.err(
      `waves health: no wave named '${args.wave}' with clusters in ${shown} (waves: ${known})`,
    );
    return 2;
  }

  const gate = createHealthGate({ config, env: io.env });
  const outcome = await gate({
    wave: oneShot(wave),
    revision: args.revision,
    now: new Date(),
    isAncestor: gitAncestry(args.gitopsRepo),
    ...(args.mergeCommit ? { mergeCommitSha: args.mergeCommit } : {}),
  });

  // Per cluster: the wave's cluster order, then its check order (the gate's order).
  const clusterIndex = new Map(wave.clusters.map((cluster, index) => [cluster, index]));
  const results = [...outcome.results].sort(
    (a, b) => (clusterIndex.get(a.cluster) ?? 0) - (clusterIndex.get(b.cluster) ?? 0),
  );

  if (args.json) {
    io.out(
      JSON.stringify(
        {
          wave: wave.name,
          revision: args.revision,
          status: outcome.status,
          reason: oneLine(outcome.reason),
          results: results.map((r) => ({ ...r, reason: oneLine(r.reason) })),
        },
        null,
        2,
      ),
    );
    return exitCode(outcome);
  }
  io.out(formatHealthTable(results));
  const bake =
    outcome.status === "pass" && wave.waitTimeMs > 0
      ? ` (the gate would then bake ${formatDuration(wave.waitTimeMs)})`
      : "";
  const summary =
    outcome.status === "pass" ? `${oneLine(outcome.reason)}${bake}` : oneLine(outcome.reason);
  io.out(`\nwave ${wave.name} @ ${args.revision.slice(0, 12)}: ${outcome.status} — ${summary}`);
  return exitCode(outcome);
}
