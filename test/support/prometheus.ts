/**
 * A real Prometheus (the Debian `prometheus` binary) for tests: on 127.0.0.1 with a free port,
 * a temporary TSDB backfilled before start with `promtool tsdb create-blocks-from openmetrics`,
 * and optionally one loopback scrape target. Queries must pass an explicit `time=`.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** One sample of a backfilled series. `value` may be a number or "NaN", "+Inf", "-Inf". */
export interface BackfillSample {
  labels: Record<string, string>;
  value: number | string;
  /** Unix seconds. */
  t: number;
}

export interface MetricFamily {
  name: string;
  type?: "gauge" | "counter" | "unknown";
  samples: BackfillSample[];
}

export interface PrometheusOptions {
  /** Data written into the TSDB before the server starts. */
  backfill?: MetricFamily[];
  /** `host:port` of a loopback target scraped every `scrapeInterval`. */
  scrapeTarget?: string;
  scrapeInterval?: string;
}

export interface TestPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Everything the server logged (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A backfill time: a whole minute about a day before now. Backfilled blocks must not overlap the
 * head block the server starts writing, so data sits well in the past.
 */
export function backfillTime(): number {
  return Math.floor((Date.now() / 1000 - 24 * 3600) / 60) * 60;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatSampleValue(value: number | string): string {
  if (typeof value === "string") return value;
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** OpenMetrics text with timestamps, families grouped, ending in `# EOF`. */
export function openMetricsText(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# TYPE ${family.name} ${family.type ?? "gauge"}`);
    const samples = [...family.samples].sort((a, b) => a.t - b.t);
    for (const sample of samples) {
      const labels = Object.entries(sample.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(",");
      lines.push(
        `${family.name}${labels ? `{${labels}}` : ""} ${formatSampleValue(sample.value)} ${sample.t}`,
      );
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(
    `${name} not found on PATH: these tests run the real Prometheus — install it with 'apt-get install prometheus'`,
  );
}

/** A port the OS says is free now (Prometheus needs a number on its command line). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configYaml(options: PrometheusOptions): string {
  const interval = options.scrapeInterval ?? "1s";
  const lines = ["global:", `  scrape_interval: ${interval}`, `  evaluation_interval: ${interval}`];
  if (options.scrapeTarget) {
    lines.push(
      "scrape_configs:",
      "  - job_name: test",
      `    scrape_interval: ${interval}`,
      `    scrape_timeout: ${interval}`,
      "    static_configs:",
      `      - targets: ["${options.scrapeTarget}"]`,
    );
  } else {
    lines.push("scrape_configs: []");
  }
  return `${lines.join("\n")}\n`;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`prometheus exited with ${child.exitCode} before ready:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`prometheus not ready after 20s:\n${log()}`);
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<TestPrometheus> {
  const prometheus = requireBinary("prometheus");
  const promtool = requireBinary("promtool");
  const dir = await mkdtemp(path.join(tmpdir(), "waves-prom-"));
  const dataDir = path.join(dir, "data");
  try {
    if (options.backfill && options.backfill.length > 0) {
      const file = path.join(dir, "backfill.om");
      await writeFile(file, openMetricsText(options.backfill));
      await run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file, dataDir]);
    }
    const configFile = path.join(dir, "prometheus.yml");
    await writeFile(configFile, configYaml(options));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    const child = spawn(
      prometheus,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        "--storage.tsdb.retention.time=10y",
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const log = () => output.join("");
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitReady(url, child, log);
    } catch (error) {
      await stop();
      throw error;
    }
    return { url, port, log, stop };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
