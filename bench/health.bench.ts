/**
 * Argo CD gate benchmark: a wave of 1,000 clusters × 20 apps evaluated against the fake Argo CD
 * with 5 ms of latency per request. Reports HTTP requests per evaluation, wall time (median of
 * several runs) for argocd-sync alone and with pod-health, and peak memory of the evaluating
 * process. The fake server runs in a child process so its memory is not counted.
 *
 *   npx tsx bench/health.bench.ts            (BENCH_CLUSTERS, BENCH_APPS, BENCH_RUNS to change)
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WavesConfig } from "../src/config/waves.schema.js";
import type { FakeArgoCd } from "../src/fleet/argocd-server.js";
import { createArgoCdProbe } from "../src/health/argocd/argocd-probe.js";
import type { ProbeContext } from "../src/health/types.js";
import type { PlannedCheck, WavePlan } from "../src/plan/types.js";
import { CallLedger } from "../src/util/outward-calls.js";

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 1000);
const APPS = Number(process.env.BENCH_APPS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 5;
const TOKEN = "bench-argocd-token-0123456789";
const REVISION = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const AT = new Date("2026-01-01T10:05:00Z");

const clusterName = (i: number) => `cluster-${String(i).padStart(4, "0")}`;

/** Child process: the fake Argo CD with the whole fleet, answering until told to stop. */
async function serveFleet(): Promise<void> {
  const { startFakeArgoCd } = await import("../src/fleet/argocd-server.js");
  const { fakeApplication } = await import("../src/fleet/argocd-simulator.js");
  const fake: FakeArgoCd = await startFakeArgoCd({ token: TOKEN, latencyMs: LATENCY_MS });
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = clusterName(c);
    for (let a = 0; a < APPS; a++) {
      const name = `${cluster}-app-${a}`;
      fake.upsertApp(fakeApplication({ name, labels: { cluster } }));
      fake.syncApp(name, { revision: REVISION, health: "Healthy", at: AT, pods: 2 });
    }
  }
  const listBytes = (
    await (
      await fetch(`${fake.url}/api/v1/applications`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text()
  ).length;
  fake.resetCounts();
  process.send?.({ url: fake.url, listBytes });
  process.on("message", async () => {
    await fake.close();
    process.exit(0);
  });
}

function startFleet(): Promise<{ child: ChildProcess; url: string; listBytes: number }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_ROLE: "argocd" },
    execArgv: ["--import", "tsx"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (msg) =>
      resolve({ child, ...(msg as { url: string; listBytes: number }) }),
    );
    child.once("exit", (code) => reject(new Error(`fake Argo CD exited with ${code}`)));
  });
}

interface Run {
  ms: number;
  calls: Record<string, number>;
  rssMb: number;
  heapMb: number;
  passed: number;
}

async function evaluate(
  url: string,
  checks: PlannedCheck[],
  concurrency: number,
  clusters: string[],
): Promise<Run> {
  const config = WavesConfig.parse({
    argocd: { url, tokenEnv: "ARGOCD_TOKEN" },
    waves: [{ name: "wave-1", clusters }],
  });
  const ledger = new CallLedger(100);
  const calls: Record<string, number> = {};
  ledger.onRecord((r) => {
    calls[r.endpoint] = (calls[r.endpoint] ?? 0) + 1;
  });
  const probe = createArgoCdProbe({ config, env: { ARGOCD_TOKEN: TOKEN }, ledger, concurrency });
  const wave: WavePlan = {
    name: "wave-1",
    index: 1,
    clusters,
    files: [],
    checks,
    waitTimeMs: 0,
    progressDeadlineMs: 900_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
  };
  const ctx: ProbeContext = {
    wave,
    revision: REVISION,
    mergedAt: "2026-01-01T10:00:00Z",
    now: new Date("2026-01-01T10:10:00Z"),
    clock: { startedAt: "2026-01-01T10:00:00Z", failures: {} },
    isAncestor: async () => false,
  };
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 5);
  sample();
  const started = performance.now();
  const { results } = await probe.run(ctx, checks);
  const ms = performance.now() - started;
  sample();
  clearInterval(timer);
  const passed = results.filter((r) => r.status === "pass").length;
  if (passed !== results.length) {
    throw new Error(
      `expected every result to pass, got ${results.find((r) => r.status !== "pass")?.reason}`,
    );
  }
  return { ms, calls, rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20, passed };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const fleet = await startFleet();
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => clusterName(i));
  const sync: PlannedCheck = {
    name: "argocd-sync",
    spec: { type: "argocd-sync", failureLimit: 1 },
  };
  const pods: PlannedCheck = {
    name: "pod-health",
    spec: { type: "pod-health", maxRestarts: 0, failureLimit: 1 },
  };
  const scenarios = [
    { name: "argocd-sync", checks: [sync], concurrency: 8, clusters, runs: RUNS },
    {
      name: "argocd-sync + pod-health (concurrency 8)",
      checks: [sync, pods],
      concurrency: 8,
      clusters,
      runs: Math.min(RUNS, 3),
    },
    {
      name: "argocd-sync + pod-health (concurrency 32)",
      checks: [sync, pods],
      concurrency: 32,
      clusters,
      runs: Math.min(RUNS, 3),
    },
    {
      name: "canary: 1 cluster, both checks",
      checks: [sync, pods],
      concurrency: 8,
      clusters: clusters.slice(0, 1),
      runs: RUNS,
    },
  ];
  const rows: string[][] = [];
  try {
    await evaluate(fleet.url, [sync], 8, clusters); // warm-up (JIT, sockets)
    for (const scenario of scenarios) {
      const runs: Run[] = [];
      for (let i = 0; i < scenario.runs; i++) {
        runs.push(
          await evaluate(fleet.url, scenario.checks, scenario.concurrency, scenario.clusters),
        );
      }
      const first = runs[0]!;
      const ms = runs.map((r) => r.ms);
      rows.push([
        scenario.name,
        `${scenario.clusters.length}×${APPS}`,
        String(runs.length),
        String(first.calls["GET /api/v1/applications"] ?? 0),
        String(first.calls["GET /api/v1/clusters"] ?? 0),
        String(first.calls["GET /api/v1/applications/{name}/resource-tree"] ?? 0),
        median(ms).toFixed(0),
        Math.min(...ms).toFixed(0),
        Math.max(...ms).toFixed(0),
        Math.max(...runs.map((r) => r.rssMb)).toFixed(0),
        Math.max(...runs.map((r) => r.heapMb)).toFixed(0),
      ]);
    }
  } finally {
    fleet.child.send("stop");
  }
  const header = [
    "scenario",
    "clusters×apps",
    "runs",
    "list calls",
    "cluster calls",
    "tree calls",
    "median ms",
    "min ms",
    "max ms",
    "peak rss MB",
    "peak heap MB",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(
    `\nArgo CD gates — fake Argo CD with ${LATENCY_MS} ms latency per request; list body ${(fleet.listBytes / 2 ** 20).toFixed(1)} MB for ${CLUSTERS * APPS} apps`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}

if (process.env.BENCH_ROLE === "argocd") await serveFleet();
else await main();
