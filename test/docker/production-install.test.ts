/**
 * No Docker engine runs here, so this test performs the Dockerfile's runtime steps outside
 * Docker: copy what the image copies, install production dependencies only, and load the app.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

/** `COPY <src...> <dest>` lines of a stage, without `--from=` ones (those copy from another stage). */
function copySources(dockerfile: string): string[] {
  const sources: string[] = [];
  for (const line of dockerfile.split("\n")) {
    const match = /^COPY\s+(.*)$/.exec(line.trim());
    if (!match || /--from=/.test(match[1]!)) continue;
    const parts = match[1]!.split(/\s+/).filter((part) => !part.startsWith("--"));
    sources.push(...parts.slice(0, -1));
  }
  return sources;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe("Dockerfile", () => {
  it("copies only sources that exist in the repository", async () => {
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    const sources = copySources(dockerfile);
    expect(sources).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "src", "templates", "schema"]),
    );
    for (const source of sources) {
      expect(await exists(join(ROOT, source)), `COPY source ${source}`).toBe(true);
    }
  });

  it("follows the image rules: node:24-slim, non-root, healthcheck on /healthz, npm start", async () => {
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(["node:24-slim", "node:24-slim"]);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 3000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    const ignore = await readFile(join(ROOT, ".dockerignore"), "utf8");
    for (const entry of ["node_modules", ".env", "*.pem", ".git"]) {
      expect(ignore.split("\n")).toContain(entry);
    }
  });
});

describe("production install (the Dockerfile's runtime stage, outside Docker)", () => {
  let dir: string;

  beforeAll(async () => {
    if (!(await exists(join(ROOT, "dist", "app", "index.js")))) {
      // `npm test` builds before vitest; a lone `vitest run` builds here.
      await run("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT });
    }
    dir = await mkdtemp(join(tmpdir(), "waves-prod-"));
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    const copied = [...copySources(runtime), "dist"];
    for (const source of copied)
      await cp(join(ROOT, source), join(dir, source), { recursive: true });
    const args = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"];
    try {
      await run("npm", [...args, "--offline"], { cwd: dir, timeout: 90_000 });
    } catch {
      await run("npm", args, { cwd: dir, timeout: 90_000 });
    }
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("has no dev dependency installed", async () => {
    expect(await exists(join(dir, "node_modules", "probot"))).toBe(true);
    expect(await exists(join(dir, "node_modules", "ioredis"))).toBe(true);
    expect(await exists(join(dir, "node_modules", "vitest"))).toBe(false);
    expect(await exists(join(dir, "node_modules", "typescript"))).toBe(false);
  });

  it("loads the app and the CLI with production dependencies only", async () => {
    const script = [
      "const app = await import('./dist/app/index.js');",
      "if (typeof app.default !== 'function') throw new Error('dist/app/index.js has no default app function');",
      "const cli = await import('./dist/cli/main.js');",
      "if (typeof cli.main !== 'function') throw new Error('no main');",
      "console.log('loaded');",
    ].join("\n");
    const { stdout } = await run("node", ["--input-type=module", "-e", script], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE_ENV: "production" },
      timeout: 30_000,
    });
    expect(stdout.trim()).toBe("loaded");
  });
});
