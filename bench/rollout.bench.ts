/**
 * GitHub App rollout benchmark on the e2e stack (fake GitHub + fake Argo CD + the real app
 * process from dist/): REST calls to GitHub per wave and per full three-wave rollout, counted
 * from the fake GitHub's request log, for waves of 1 and 100 clusters; and webhook-to-PR latency
 * (push delivered → promotion PR created), median of several rollouts.
 *
 *   npm run build && npx tsx bench/rollout.bench.ts     (BENCH_SIZES=1,100 BENCH_RUNS=3)
 */
import { E2eStack, REPO, type WaveSpec } from "../test/e2e/e2e-stack.js";
import { ensureBuilt } from "../test/e2e/ensure-built.js";
import type { RequestLogEntry } from "../test/support/fake-github/fake-github.js";

const SIZES = (process.env.BENCH_SIZES ?? "1,100").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WAVES = ["canary", "wave-1", "wave-2"];

/** Reads that only the reconcile tick makes while a wave bakes (they repeat every interval). */
const TICK_READS = new Set([
  "GET /repos/{owner}/{repo}/pulls",
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
]);
const CHECK_UPDATE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function wavesOf(size: number): WaveSpec[] {
  return WAVES.map((name) => ({
    name,
    clusters: Array.from({ length: size }, (_, i) => `${name}-c${String(i).padStart(3, "0")}`),
    waitTime: "1s",
  }));
}

interface RunFigures {
  total: number;
  notModified: number;
  tickReads: number;
  checkUpdates: number;
  other: number;
  latencyMs: number;
  durationMs: number;
  byEndpoint: Map<string, number>;
}

async function oneRollout(stack: E2eStack, n: number): Promise<RunFigures> {
  const from = stack.github.requests.length;
  const deliveriesFrom = stack.github.webhooks.deliveries.length;
  const started = Date.now();
  const { sha } = await stack.github.mergeChange(REPO, {
    files: { "base/app.yaml": `replicas: ${n + 10}\n` },
    title: `Bench change ${n}`,
    author: "alice",
  });
  const short = sha.slice(0, 7);
  for (const wave of WAVES) {
    await stack.until(
      `${wave} merged`,
      () => stack.github.pullsOf(REPO).find((p) => p.head === `waves/${short}/${wave}` && p.merged),
      120_000,
    );
  }
  await stack.until(
    "wave-2 check concluded",
    () =>
      stack.github
        .checkRunsOf(REPO)
        .find(
          (r) =>
            r.name === "waves / wave-2" &&
            r.conclusion === "success" &&
            r.headSha ===
              stack.github.pullsOf(REPO).find((p) => p.head === `waves/${short}/wave-2`)?.headSha,
        ),
    120_000,
  );
  // Let the last reconcile see the rollout done before counting.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  const requests: RequestLogEntry[] = stack.github.requests
    .slice(from)
    .filter((r) => !r.endpoint.startsWith("GIT ") && r.caller === "installation");
  const byEndpoint = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.endpoint}${r.status === 304 ? " (304)" : ""}`;
    byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + 1);
  }
  const tickReads = requests.filter((r) => TICK_READS.has(r.endpoint)).length;
  const checkUpdates = requests.filter((r) => r.endpoint === CHECK_UPDATE).length;
  const push = stack.github.webhooks.deliveries
    .slice(deliveriesFrom)
    .find((d) => d.event === "push" && d.attempt === 1);
  const prCreated = stack.github.requests
    .slice(from)
    .find((r) => r.endpoint === "POST /repos/{owner}/{repo}/pulls" && r.status === 201);
  return {
    total: requests.length,
    notModified: requests.filter((r) => r.status === 304).length,
    tickReads,
    checkUpdates,
    other: requests.length - tickReads - checkUpdates,
    latencyMs: push && prCreated ? prCreated.at - push.sentAt : Number.NaN,
    durationMs: Date.now() - started,
    byEndpoint,
  };
}

async function main(): Promise<void> {
  await ensureBuilt();
  const rows: string[][] = [];
  const breakdowns: string[] = [];
  for (const size of SIZES) {
    const stack = await E2eStack.start({ waves: wavesOf(size) });
    try {
      const figures: RunFigures[] = [];
      for (let n = 0; n < RUNS; n++) figures.push(await oneRollout(stack, n));
      const m = (pick: (f: RunFigures) => number) => median(figures.map(pick));
      rows.push([
        String(size),
        String(m((f) => f.total)),
        String(m((f) => f.notModified)),
        (m((f) => f.total) / 3).toFixed(1),
        (m((f) => f.other) / 3).toFixed(1),
        String(m((f) => f.tickReads)),
        String(m((f) => f.checkUpdates)),
        `${Math.round(m((f) => f.latencyMs))} ms`,
        `${(m((f) => f.durationMs) / 1000).toFixed(1)} s`,
      ]);
      const last = figures.at(-1);
      if (last) {
        breakdowns.push(
          `clusters per wave = ${size} (last run):\n${[...last.byEndpoint.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([endpoint, count]) => `  ${String(count).padStart(4)}  ${endpoint}`)
            .join("\n")}`,
        );
      }
    } finally {
      await stack.stop();
    }
  }
  const header = [
    "clusters/wave",
    "calls/rollout",
    "of which 304",
    "calls/wave",
    "calls/wave excl. tick reads+check updates",
    "tick reads/rollout",
    "check updates/rollout",
    "webhook→PR (median)",
    "rollout time",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  process.stdout.write(
    `\nGitHub App rollout (e2e fake GitHub, reconcile interval 500ms, waitTime 1s, ${RUNS} rollouts per size)\n`,
  );
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`\nREST calls by endpoint:\n${breakdowns.join("\n")}\n`);
}

await main();
