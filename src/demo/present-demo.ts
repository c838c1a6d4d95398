/** Runs the demo and shows it: live frame on a TTY, log lines otherwise; summary and report. */
import { rmSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CliIo } from "../cli/cli-io.js";
import { liveRenderer, plainLine, summaryLines } from "./demo-progress.js";
import { renderDemoReport } from "./demo-report.js";
import type { DemoOptions } from "./demo-types.js";
import { runDemo } from "./run-demo.js";

export async function presentDemo(
  options: DemoOptions,
  io: CliIo,
  ask?: (question: string) => Promise<string | undefined>,
): Promise<number> {
  // Typed approvals and an in-place redraw would fight over the terminal: prompts get log lines.
  const live = io.isTTY && !ask ? liveRenderer((text) => io.out(text)) : undefined;
  let result: Awaited<ReturnType<typeof runDemo>>;
  // Ctrl-C mid-run: do not leave the temp repository behind (unless asked to keep it).
  let root: string | undefined;
  const interrupted = () => {
    if (root && !options.keep) rmSync(root, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  try {
    result = await runDemo(options, {
      onRepoCreated: (created) => {
        root = created;
      },
      onEvent: live ? undefined : (event) => io.out(plainLine(event)),
      onFrame: live ? (snapshot) => live.draw(snapshot) : undefined,
      ...(ask ? { ask } : {}),
    });
  } catch (error) {
    io.err(`waves demo: the demo could not run: ${(error as Error).message}`);
    return 1;
  } finally {
    process.removeListener("SIGINT", interrupted);
  }
  io.out(summaryLines(result, options.keep).join("\n"));
  let reportFailed = false;
  if (options.reportFile) {
    const file = resolve(io.cwd, options.reportFile);
    try {
      await writeFile(file, renderDemoReport(result, options.keep));
      io.out(`Report written to ${file}`);
    } catch (error) {
      io.err(`waves demo: cannot write the report to ${file}: ${(error as Error).message}`);
      reportFailed = true;
    }
  }
  if (!options.keep) await rm(result.repoRoot, { recursive: true, force: true });
  return result.expected && !reportFailed ? 0 : 1;
}
