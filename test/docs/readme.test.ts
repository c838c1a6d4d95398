/**
 * Keeps the README true: every script, subcommand, flag, environment variable, command and
 * local link it names must exist in the code.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEMO_USAGE, parseDemoArgs } from "../../src/cli/demo-command.js";

const ROOT = join(import.meta.dirname, "..", "..");
const DOCS = ["README.md", "docs/health-gates.md", "docs/commands.md", "docs/deploying.md"];

async function text(path: string): Promise<string> {
  return readFile(join(ROOT, path), "utf8");
}

async function exists(path: string): Promise<boolean> {
  return stat(join(ROOT, path)).then(
    () => true,
    () => false,
  );
}

async function sourceText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|js)$/.test(entry.name)) {
      parts.push(await readFile(join(entry.parentPath, entry.name), "utf8"));
    }
  }
  return parts.join("\n");
}

const unique = (values: string[]) => [...new Set(values)].sort();

describe("README and docs", () => {
  it("names only npm scripts that package.json has", async () => {
    const pkg = JSON.parse(await text("package.json")) as { scripts: Record<string, string> };
    for (const doc of DOCS) {
      const scripts = unique(
        [...(await text(doc)).matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]!),
      );
      for (const script of scripts)
        expect(pkg.scripts, `${doc}: npm run ${script}`).toHaveProperty(script);
    }
    expect(pkg.scripts.demo).toBe("node bin/waves.js demo");
    expect(pkg.scripts.start).toBe("node dist/app/main.js");
  });

  it("starts with the two commands that work on a fresh machine", async () => {
    const readme = await text("README.md");
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("npm ci && npm run demo");
    expect(firstBlock).toContain("npm test");
    expect(readme.indexOf("npm ci && npm run demo")).toBeLessThan(
      readme.indexOf("## How it works"),
    );
  });

  it("names only waves subcommands that exist", async () => {
    const main = await text("src/cli/main.ts");
    for (const doc of DOCS) {
      const used = unique(
        [...(await text(doc)).matchAll(/(?:bin\/waves\.js |`waves )([a-z]+)\b/g)].map((m) => m[1]!),
      );
      for (const command of used) {
        expect(main, `${doc}: waves ${command}`).toContain(`${command}: "`);
        expect(await exists(`src/cli/${command}-command.ts`), `src/cli/${command}-command.ts`).toBe(
          true,
        );
      }
    }
  });

  it("uses only flags each waves subcommand accepts", async () => {
    for (const doc of DOCS) {
      const body = await text(doc);
      for (const match of body.matchAll(/(?:bin\/waves\.js|`waves) ([a-z]+)([^\n`#]*)/g)) {
        const [, command, rest] = match as unknown as [string, string, string];
        const source = await text(`src/cli/${command}-command.ts`);
        for (const flag of rest.matchAll(/(--[a-z-]+)/g)) {
          expect(source, `${doc}: waves ${command} ${flag[1]}`).toContain(flag[1]);
        }
      }
    }
  });

  it("documents exactly the demo's flags, and they parse", async () => {
    const readme = await text("README.md");
    const section = readme.slice(readme.indexOf("## The demo"), readme.indexOf("## Installing"));
    const flags = unique([...section.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]!));
    const usageFlags = unique([...DEMO_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!));
    expect(flags).toEqual(usageFlags.filter((flag) => flag !== "--help"));
    expect(
      parseDemoArgs(["--speed", "50", "--break", "canary", "--keep", "--clusters", "5"]),
    ).toMatchObject({
      speed: 50,
      breakWave: "canary",
      keep: true,
      clusters: 5,
    });
  });

  it("names only environment variables that the app or Probot reads", async () => {
    const src = await sourceText("src");
    const probot = await sourceText("node_modules/probot/lib");
    for (const doc of DOCS) {
      // Every upper-case name in backticks in the first cell of a table row.
      const firstCells = [...(await text(doc)).matchAll(/^\|([^|\n]*)\|/gm)].map((m) => m[1]!);
      const names = unique(
        firstCells.flatMap((cell) =>
          [...cell.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!),
        ),
      );
      for (const name of names) {
        const known = src.includes(name) || probot.includes(name);
        expect(known, `${doc}: ${name} is read by nobody`).toBe(true);
      }
    }
    expect(src).toContain("WAVES_RECONCILE_INTERVAL");
    expect(await text("README.md")).toContain("`WAVES_GIT_EMAIL`");
  });

  it("lists comment commands the engine parses", async () => {
    const rollout = await sourceText("src/rollout");
    for (const command of ["approve", "hold", "resume", "rollback", "retry"]) {
      expect(rollout, `/${command}`).toMatch(new RegExp(`["'\`/]${command}\\b`));
    }
  });

  it("states the permissions and events that app.yml asks for", async () => {
    const manifest = parse(await text("app.yml")) as {
      default_permissions: Record<string, string>;
      default_events: string[];
    };
    const readme = await text("README.md");
    const section = readme.slice(
      readme.indexOf("Permissions, and why"),
      readme.indexOf("## Configuration"),
    );
    const label: Record<string, string> = {
      contents: "Contents",
      pull_requests: "Pull requests",
      checks: "Checks",
      issues: "Issues",
      members: "Members",
      metadata: "Metadata",
    };
    for (const [permission, access] of Object.entries(manifest.default_permissions)) {
      const name = label[permission] ?? permission;
      expect(section, `permission ${permission}`).toMatch(
        new RegExp(`\\|\\s*${name}\\s*\\|\\s*${access}\\b`),
      );
    }
    for (const event of manifest.default_events) expect(section).toContain(`\`${event}\``);
  });

  it("links only to files that exist", async () => {
    for (const doc of DOCS) {
      const body = await text(doc);
      const links = unique(
        [...body.matchAll(/\]\(([^)#\s]+)\)/g)]
          .map((m) => m[1]!)
          .filter((l) => !/^[a-z]+:/.test(l)),
      );
      for (const link of links) {
        const target = join(dirname(doc), link);
        expect(await exists(target), `${doc} links to ${link}`).toBe(true);
      }
    }
  });
});
