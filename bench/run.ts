/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after another as its own `tsx` process
 * (no shared state, no parallel load skewing timings) and lets each print its table.
 * `npm run bench -- bump` runs only the files whose name contains "bump".
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const tsx = join(benchDir, "..", "node_modules", ".bin", "tsx");
const filters = process.argv.slice(2);

const files = readdirSync(benchDir)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(", ") || "bench/*.bench.ts"}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n## ${file}\n`);
  const started = performance.now();
  const run = spawnSync(tsx, [join(benchDir, file)], { stdio: "inherit" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) failed.push(file);
  process.stdout.write(`(${file}: ${run.status === 0 ? "done" : "FAILED"} in ${seconds} s)\n`);
}
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(", ")}\n`);
  process.exit(1);
}
