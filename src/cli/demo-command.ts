/**
 * `waves demo`: a whole rollout on an embedded fleet (sample GitOps repository, fake Argo CD,
 * metrics source) through the real rollout engine, with time compressed.
 */

import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { CliIo } from "./cli-io.js";

export const DEMO_USAGE = `usage: waves demo [options]

Runs a whole rollout of a sample change across an embedded fleet of clusters: no GitHub App,
no cluster and no Argo CD needed.

options:
  --speed <n>        virtual seconds per real second (default 300)
  --break <wave>     make the change unhealthy in this wave (canary, wave-1 or wave-2):
                     the gate fails and the revert restores every cluster
  --interactive      type the approvals (/approve wave-2) yourself at a prompt
  --report <file>    write a markdown report (per-wave table, mermaid timeline)
  --keep             keep the sample repository and print its path
  --dir <path>       create the sample repository in this new or empty directory (kept)
  --clusters <n>     number of clusters in the sample fleet (3-60, default 8)
  --seed <n>         seed for the small jitter in the sample metrics (default 1)
  --tick-ms <n>      real milliseconds between reconcile ticks (default 100)
  -h, --help         show this help
`;

const WAVES = ["canary", "wave-1", "wave-2"];

export interface ParsedDemoArgs {
  speed: number;
  tickMs: number;
  breakWave?: string;
  interactive: boolean;
  reportFile?: string;
  keep: boolean;
  dir?: string;
  seed: number;
  clusters: number;
  help: boolean;
}

function integer(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/** Parses the flags; throws an Error with a message for the person when one is wrong. */
export function parseDemoArgs(args: string[]): ParsedDemoArgs {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        speed: { type: "string" },
        break: { type: "string" },
        interactive: { type: "boolean", default: false },
        report: { type: "string" },
        keep: { type: "boolean", default: false },
        dir: { type: "string" },
        seed: { type: "string" },
        clusters: { type: "string" },
        "tick-ms": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new Error((error as Error).message.replace(/\. To specify.*$/s, ""));
  }
  const { values } = parsed;
  const breakWave = values.break;
  if (breakWave !== undefined && !WAVES.includes(breakWave)) {
    throw new Error(
      `--break must name a wave of the demo (${WAVES.join(", ")}), got '${breakWave}'`,
    );
  }
  if (values.report !== undefined && values.report.trim() === "") {
    throw new Error("--report needs a file name");
  }
  if (values.dir !== undefined && values.dir.trim() === "") {
    throw new Error("--dir needs a directory");
  }
  return {
    speed: integer("speed", values.speed, 300, 1, 100_000),
    tickMs: integer("tick-ms", values["tick-ms"], 100, 1, 10_000),
    ...(breakWave ? { breakWave } : {}),
    interactive: values.interactive ?? false,
    ...(values.report !== undefined ? { reportFile: values.report } : {}),
    keep: (values.keep ?? false) || values.dir !== undefined,
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    seed: integer("seed", values.seed, 1, 0, 2 ** 31),
    clusters: integer("clusters", values.clusters, 8, 3, 60),
    help: values.help ?? false,
  };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let options: ParsedDemoArgs;
  try {
    options = parseDemoArgs(args);
  } catch (error) {
    io.err(`waves demo: ${(error as Error).message}\n\n${DEMO_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.out(DEMO_USAGE);
    return 0;
  }
  const { presentDemo } = await import("../demo/present-demo.js");
  const prompt = options.interactive ? stdinLines(io) : undefined;
  try {
    const { dir, ...rest } = options;
    const demo = { ...rest, ...(dir ? { dir: resolve(io.cwd, dir) } : {}) };
    return await presentDemo(demo, io, prompt?.ask);
  } finally {
    prompt?.close();
  }
}

/**
 * Lines typed (or piped) on stdin, read in order: lines that arrive before a question is asked
 * are kept for it. At the end of input, `ask` answers undefined.
 */
function stdinLines(io: CliIo): {
  ask(question: string): Promise<string | undefined>;
  close(): void;
} {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      io.out(question);
      const next = await lines.next();
      return next.done ? undefined : String(next.value);
    },
    close: () => rl.close(),
  };
}
