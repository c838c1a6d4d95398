/**
 * No Docker engine runs here, so this test performs the Dockerfile's runtime steps outside
 * Docker: copy what the image copies, install production dependencies only, and load the app.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
    expect(dockerfile).toMatch(/^\s+HOST=0\.0\.0\.0 \\$/m);
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

  it("npm start serves /healthz, and the HEALTHCHECK command passes against it", async () => {
    // A stand-in GitHub Enterprise API: /healthz asks it whether GitHub is reachable.
    const ghe = createServer((req, res) => {
      res.writeHead(req.url === "/api/v3/meta" ? 200 : 404, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((resolve) => ghe.listen(0, "127.0.0.1", resolve));
    let output = "";
    let app: ChildProcess | undefined;
    try {
      const port = await freePort();
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        APP_ID: "12345",
        PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        WEBHOOK_SECRET: "docker-test-secret",
        GHE_HOST: `127.0.0.1:${(ghe.address() as AddressInfo).port}`,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "warn",
      };
      // Its own process group: npm start runs node as a child, and both must stop afterwards.
      const child = spawn("npm", ["start"], { cwd: dir, env, detached: true });
      app = child;
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const deadline = Date.now() + 20_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status, output).toBe(200);
      const [command, ...args] = healthcheckCommand(dockerfile);
      const probe = await run(command!, args, {
        env: { PATH: process.env.PATH, PORT: String(port) },
      }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? 1,
      );
      expect(probe).toBe(0);
      expect(output).not.toContain("docker-test-secret");
    } finally {
      if (app?.pid) process.kill(-app.pid, "SIGTERM");
      await new Promise<void>((resolve) => ghe.close(() => resolve()));
    }
  }, 40_000);
});

/** The HEALTHCHECK's command, as the Dockerfile writes it (exec form). */
function healthcheckCommand(dockerfile: string): string[] {
  const match = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile);
  if (!match) throw new Error("no HEALTHCHECK CMD in exec form");
  return JSON.parse(match[1]!) as string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
