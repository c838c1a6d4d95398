/**
 * The e2e suite runs the built app (`dist/app/main.js`). `npm test` builds first; a bare
 * `vitest run test/e2e` builds here when dist is missing or older than any source file. A lock
 * directory keeps parallel test files from building at the same time.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
export const MAIN = join(ROOT, "dist", "app", "main.js");

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

async function stale(): Promise<boolean> {
  if (!existsSync(MAIN)) return true;
  return (await newestSource(join(ROOT, "src"))) > (await stat(MAIN)).mtimeMs;
}

export async function ensureBuilt(): Promise<void> {
  if (!(await stale())) return;
  const lock = join(ROOT, "dist", ".e2e-build-lock");
  await mkdir(join(ROOT, "dist"), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!(await stale())) return;
    }
  }
  try {
    if (await stale()) {
      // tsc still emits when some other file has a type error; what matters is a fresh main.js.
      await exec(
        process.execPath,
        [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
        { cwd: ROOT },
      ).catch((error: unknown) => {
        if (!existsSync(MAIN)) throw error;
      });
    }
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
