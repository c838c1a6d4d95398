/**
 * The `waves` command. Each subcommand lives in `./<name>-command.ts` and exports
 * `run(args: string[], io: CliIo): Promise<number>`; it is loaded only when used.
 */
import type { CliIo } from "./cli-io.js";
import { processIo } from "./cli-io.js";

const COMMANDS: Record<string, string> = {
  validate: "check a .github/waves.yml and print every error (or OK)",
  plan: "print each wave's clusters and the diff its promotion commit would make",
  health: "evaluate one wave's health gates once against the live instances",
  demo: "run a whole rollout on an embedded fleet, no GitHub or cluster needed",
};

interface CommandModule {
  run(args: string[], io: CliIo): Promise<number>;
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, about]) => `  ${name.padEnd(10)} ${about}`);
  return ["usage: waves <command> [options]", "", "commands:", ...lines, ""].join("\n");
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    io.out(usage());
    return command ? 0 : 2;
  }
  if (!(command in COMMANDS)) {
    io.err(`waves: unknown command '${command}'\n\n${usage()}`);
    return 2;
  }
  const module = (await import(/* @vite-ignore */ `./${command}-command.js`)) as CommandModule;
  return module.run(rest, io);
}
