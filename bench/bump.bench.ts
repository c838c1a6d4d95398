/**
 * Promotion benchmark: plan + bump + commit + push of a wave of 1, 100 and 1,000 clusters on a
 * generated GitOps repository of 10,000 files, served over smart HTTP (git-http-backend, token
 * auth) on loopback. Cold = fresh cache (first clone); warm = cached clone after an upstream
 * commit (incremental fetch). Medians in ms; the full-clone column shows what the partial clone
 * saves a cold start. Checks the targets.
 *
 * Two repositories: a fresh one (one commit) and the same fleet after `BENCH_HISTORY` (default
 * 100) past rollouts, the history a repository waves has run for a while holds. Each table also
 * shows git alone on that remote (clone, fetch, push with no waves code): how far a cached
 * clone can bring cold/warm at all there.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/index.js";
import { bumpFiles } from "../src/gitops/bump/index.js";
import { GitWorkspace } from "../src/gitops/workspace.js";
import { planRollout } from "../src/plan/index.js";
import { CallLedger } from "../src/util/outward-calls.js";
import { measureGitAlone } from "./lib/git-alone.js";
import { startGitHttpServer } from "./lib/git-http-server.js";
import {
  addPromotionHistory,
  createFixtureRepo,
  SOURCE_REPO,
  upstreamCommit,
  wavesConfig,
} from "./lib/gitops-fixture.js";
import { formatTable, median } from "./lib/stats.js";

const TOKEN = "bench-token-0123456789";
const SIZES = [1, 100, 1_000];
const TOTAL_FILES = 10_000;
const COLD_REPS = Number(process.env.BENCH_COLD_REPS ?? 3);
const WARM_REPS = Number(process.env.BENCH_WARM_REPS ?? 5);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 100);
const IDENTITY = { name: "waves[bot]", email: "waves[bot]@users.noreply.github.com" };

const PHASES = ["checkout+fetch", "config+plan", "read", "bump", "commit+push"] as const;
type Phase = (typeof PHASES)[number];

interface RunResult {
  ms: number;
  files: number;
  calls: number;
  phases: Record<Phase, number>;
}

async function promote(
  ws: GitWorkspace,
  url: string,
  size: number,
  ledger: CallLedger,
): Promise<RunResult> {
  const revision = randomBytes(20).toString("hex");
  const callsBefore = ledger.count({ target: "git" });
  const started = performance.now();
  const phases = {} as Record<Phase, number>;
  let lapStart = started;
  const lap = (phase: Phase) => {
    const now = performance.now();
    phases[phase] = now - lapStart;
    lapStart = now;
  };
  const checkout = await ws.checkout({ url, token: () => TOKEN });
  const base = await checkout.fetch("main");
  lap("checkout+fetch");
  const configText = await checkout.readFile(base, ".github/waves.yml");
  const loaded = loadConfig(configText ?? "");
  if (!loaded.ok) throw new Error(`bench config invalid: ${loaded.errors[0]?.message}`);
  const plan = planRollout(loaded.config, {
    revision,
    changedPaths: ["deploy/base/deployment.yaml"],
  });
  const wave = plan.waves.find((w) => w.clusters.length === size);
  if (!wave) throw new Error(`no wave of ${size} clusters in the plan`);
  lap("config+plan");
  const paths = [...new Set(wave.files.map((file) => file.path))];
  const contents = await checkout.readFiles(base, paths);
  lap("read");
  const bump = bumpFiles(wave.files, revision, (path) => contents.get(path), {
    sourceRepo: SOURCE_REPO,
  });
  if (bump.errors.length > 0) throw bump.errors[0];
  lap("bump");
  const result = await checkout.commitAndPush({
    base,
    branch: `waves/${revision.slice(0, 7)}/${wave.name}`,
    message: `waves: promote ${revision.slice(0, 7)} to ${wave.name}`,
    changes: bump.changes.map(({ path, content }) => ({ path, content })),
  });
  if (!result.pushed) throw new Error("nothing was pushed");
  lap("commit+push");
  return {
    phases,
    ms: performance.now() - started,
    files: bump.changes.length,
    calls: ledger.count({ target: "git" }) - callsBefore,
  };
}

interface Fixture {
  label: string;
  path: string;
  url: string;
  /** Also clone without the blob filter (the full-clone column). */
  fullClone: boolean;
}

async function measure(
  fixture: Fixture,
  root: string,
  ledger: CallLedger,
  nextRound: () => number,
): Promise<string[]> {
  const rows: (string | number)[][] = [];
  const warmMedians: number[] = [];
  const phaseRows: (string | number)[][] = [];
  const verdicts: string[] = [];
  const coldRuns = async (size: number, partialClone: boolean): Promise<RunResult[]> => {
    const runs: RunResult[] = [];
    for (let i = 0; i < COLD_REPS; i++) {
      const cacheDir = join(root, `cold-${fixture.label}-${size}-${partialClone}-${i}`);
      const ws = new GitWorkspace({ cacheDir, identity: IDENTITY, ledger, partialClone });
      upstreamCommit(fixture.path, nextRound());
      runs.push(await promote(ws, fixture.url, size, ledger));
      await rm(cacheDir, { recursive: true, force: true });
    }
    return runs;
  };
  for (const size of SIZES) {
    const cold = await coldRuns(size, true);
    const coldFull = fixture.fullClone ? await coldRuns(size, false) : [];
    const cacheDir = join(root, `warm-${fixture.label}-${size}`);
    const ws = new GitWorkspace({ cacheDir, identity: IDENTITY, ledger });
    await promote(ws, fixture.url, size, ledger); // primes the cache (clone); not counted
    const warm: RunResult[] = [];
    for (let i = 0; i < WARM_REPS; i++) {
      upstreamCommit(fixture.path, nextRound());
      warm.push(await promote(ws, fixture.url, size, ledger));
    }
    await rm(cacheDir, { recursive: true, force: true });
    const coldMs = median(cold.map((r) => r.ms));
    const warmMs = median(warm.map((r) => r.ms));
    const ratio = coldMs / warmMs;
    for (const [label, runs] of [
      ["cold", cold],
      ["warm", warm],
    ] as const) {
      phaseRows.push([
        size,
        label,
        ...PHASES.map((p) => Math.round(median(runs.map((r) => r.phases[p])))),
      ]);
    }
    const coldFullMs = median(coldFull.map((r) => r.ms));
    warmMedians.push(warmMs);
    rows.push([
      size,
      warm[0]?.files ?? 0,
      Math.round(coldMs),
      fixture.fullClone ? Math.round(coldFullMs) : "-",
      Math.round(warmMs),
      `${ratio.toFixed(1)}x`,
      fixture.fullClone ? `${(coldFullMs / warmMs).toFixed(1)}x` : "-",
      `${median(cold.map((r) => r.calls))} / ${median(warm.map((r) => r.calls))}`,
    ]);
    if (size === 1_000) {
      verdicts.push(
        `${fixture.label}: warm 1,000-cluster wave ${Math.round(warmMs)} ms (target < 3000 ms): ${warmMs < 3_000 ? "PASS" : "FAIL"}`,
      );
    }
    verdicts.push(
      `${fixture.label}: ${size}-cluster wave cold/warm ${ratio.toFixed(1)}x (target >= 5x): ${ratio >= 5 ? "PASS" : "FAIL"}`,
    );
  }
  const alone = await measureGitAlone(fixture.url, fixture.path, TOKEN, root, WARM_REPS);
  // If a cold wave cost exactly a warm one plus one bare clone, its ratio would be this.
  rows.forEach((row, i) => {
    const warmMs = warmMedians[i] ?? Number.NaN;
    row.splice(6, 0, `${(1 + alone.cloneMs / warmMs).toFixed(1)}x`);
  });
  console.log(
    formatTable(
      [
        "clusters",
        "files changed",
        "cold ms (partial)",
        "cold ms (full clone)",
        "warm ms",
        "cold/warm",
        "1 + clone/warm",
        "full cold/warm",
        "git calls cold/warm",
      ],
      rows,
    ),
  );
  console.log("\nmedian ms per phase:");
  console.log(formatTable(["clusters", "run", ...PHASES], phaseRows));
  console.log(
    `git alone on this remote: clone ${Math.round(alone.cloneMs)} ms, fetch ${Math.round(alone.fetchMs)} ms, push ${Math.round(alone.pushMs)} ms; ` +
      `a wave that fetches and pushes can reach cold/warm of at most 1 + clone/(fetch + push) = ${alone.ceiling.toFixed(1)}x, before any work of its own; ` +
      "with its work (the warm ms), a cold run that adds one bare clone reaches 1 + clone/warm",
  );
  return verdicts;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "waves-bench-"));
  const sizes = [...SIZES, 99];
  const { text, names } = wavesConfig(sizes);
  const reposDir = join(root, "repos");
  const fresh = createFixtureRepo(reposDir, "fleet", 1_200, TOTAL_FILES, text);
  const used = createFixtureRepo(reposDir, "fleet-used", 1_200, TOTAL_FILES, text);
  const started = performance.now();
  const historyCommits = addPromotionHistory(used.path, sizes, HISTORY);
  const historyMs = performance.now() - started;
  const server = await startGitHttpServer({ root: reposDir, token: TOKEN });
  const ledger = new CallLedger();
  let round = 0;
  const nextRound = () => ++round;
  try {
    console.log(
      `bump.bench: ${fresh.files} files, ${names.length} waves, remote over HTTP (git-http-backend, token auth) on loopback; ${cpus().length} CPUs; cold x${COLD_REPS}, warm x${WARM_REPS}`,
    );
    const fixtures: Fixture[] = [
      { label: "fresh repo", path: fresh.path, url: `${server.url}/fleet.git`, fullClone: true },
    ];
    if (historyCommits > 0) {
      fixtures.push({
        label: `after ${HISTORY} rollouts`,
        path: used.path,
        url: `${server.url}/fleet-used.git`,
        fullClone: false,
      });
    }
    const verdicts: string[] = [];
    for (const fixture of fixtures) {
      console.log(
        fixture.path === used.path
          ? `\n### ${fixture.label} (${historyCommits} promotion commits, written in ${(historyMs / 1000).toFixed(1)} s)`
          : `\n### ${fixture.label} (one commit)`,
      );
      verdicts.push(...(await measure(fixture, root, ledger, nextRound)));
    }
    console.log("");
    for (const verdict of verdicts) console.log(verdict);
    console.log(
      `HTTP requests served: ${server.requests}; load average ${loadavg()[0]?.toFixed(1)}`,
    );
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
