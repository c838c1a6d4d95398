/**
 * One black-box stack: the fake GitHub with a GitOps repository, a fake Argo CD whose apps follow
 * what is merged, and the REAL app process (`node dist/app/main.js`) configured only through
 * its environment. Tests act as users (merges, comments, buttons) and read GitHub's state.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { type FakeArgoCd, startFakeArgoCd } from "../../src/fleet/argocd-server.js";
import { fakeApplication } from "../../src/fleet/argocd-simulator.js";
import { createFleetFollower, type FleetFollower } from "../../src/fleet/fleet-follower.js";
import { generateAppKeys } from "../support/app-keys.js";
import { FakeGitHub } from "../support/fake-github/fake-github.js";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.js";
import { MAIN } from "./ensure-built.js";

export const REPO = "acme/fleet";
export const APP_ID = 4242;
export const WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";
export const ARGOCD_TOKEN = "e2e-argocd-token-0123456789";
const keys = generateAppKeys();

export const INITIAL_REVISION = "v1";

export interface WaveSpec {
  name: string;
  clusters: string[];
  requireApproval?: boolean;
  waitTime?: string;
  healthChecks?: string[];
}

export interface StackOptions {
  /** Cluster names per wave; default canary / wave-1 (2 clusters) / wave-2. */
  waves?: WaveSpec[];
  /** Clusters that turn Degraded when they run a revision other than the initial one. */
  broken?: string[];
  /** Extra waves.yml top-level YAML. */
  extraConfig?: string;
  /**
   * A real Prometheus scraping an exporter of `waves_e2e_error_ratio{cluster}`; clusters listed
   * in `badMetric` report a high error ratio once they run a new revision (their apps stay
   * Healthy, so only the metric gate can catch them). Adds the `error-rate` check.
   */
  prometheus?: { badMetric: string[] };
  env?: Record<string, string>;
  /**
   * A separate GitOps repository (`owner/name`, `target.repository`): the source repo then
   * holds only `.github/waves.yml` and `base/`, this one `clusters/` and the rollout PRs.
   */
  gitops?: string;
  /** The repositories' "Automatically delete head branches" setting (default off). */
  deleteBranchOnMerge?: boolean;
}

export const DEFAULT_WAVES: WaveSpec[] = [
  { name: "canary", clusters: ["canary-1"] },
  { name: "wave-1", clusters: ["dev-1", "dev-2"] },
  { name: "wave-2", clusters: ["prod-1"] },
];

export function clusterFile(cluster: string, revision: string): string {
  return [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    `  name: payments-${cluster}`,
    "  # pinned by gitops-waves",
    "spec:",
    "  source:",
    "    repoURL: https://github.com/acme/fleet.git",
    `    path: base`,
    `    targetRevision: ${revision}  # keep this comment`,
    "",
  ].join("\n");
}

export const ERROR_RATE_QUERY = 'max(waves_e2e_error_ratio{cluster="{cluster}"})';

export function wavesYaml(
  argocdUrl: string,
  options: StackOptions,
  prometheusUrl?: string,
): string {
  const waves = options.waves ?? DEFAULT_WAVES;
  const metrics = prometheusUrl
    ? [
        "prometheus:",
        `  url: ${prometheusUrl}`,
        "healthChecks:",
        "  error-rate:",
        "    type: prometheus",
        `    query: ${ERROR_RATE_QUERY}`,
        '    condition: "< 0.05"',
        "    onNoData: fail",
      ]
    : [];
  return [
    ...(options.gitops ? ["target:", `  repository: ${options.gitops}`] : []),
    "source:",
    '  paths: ["base/**"]',
    "promotion:",
    "  files:",
    "    - path: clusters/{cluster}/app.yaml",
    "      kind: yaml",
    "      key: spec.source.targetRevision",
    "argocd:",
    `  url: ${argocdUrl}`,
    "  tokenEnv: ARGOCD_TOKEN",
    "defaults:",
    "  healthChecks: [argocd-sync, pod-health]",
    "  progressDeadline: 20s",
    "waves:",
    ...waves.flatMap((w) => [
      `  - name: ${w.name}`,
      `    clusters: [${w.clusters.join(", ")}]`,
      `    waitTime: ${w.waitTime ?? "1s"}`,
      ...(w.requireApproval ? ["    requireApproval: true"] : []),
      ...(w.healthChecks ? [`    healthChecks: [${w.healthChecks.join(", ")}]`] : []),
    ]),
    ...metrics,
    options.extraConfig ?? "",
  ].join("\n");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class E2eStack {
  github!: FakeGitHub;
  argocd!: FakeArgoCd;
  follower!: FleetFollower;
  app: ChildProcess | undefined;
  port = 0;
  readonly logs: string[] = [];
  private followTimer: NodeJS.Timeout | undefined;
  private exporter: Server | undefined;
  prometheus: TestPrometheus | undefined;
  private dir = "";
  clusters: string[] = [];

  constructor(readonly options: StackOptions = {}) {}

  static async start(options: StackOptions = {}): Promise<E2eStack> {
    const stack = new E2eStack(options);
    await stack.boot();
    return stack;
  }

  /** Where the rollout PRs, wave checks and cluster files live. */
  get target(): string {
    return this.options.gitops ?? REPO;
  }

  get appUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async boot(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), "waves-e2e-"));
    this.github = await FakeGitHub.start({
      appId: APP_ID,
      publicKey: keys.publicKey,
      webhookSecret: WEBHOOK_SECRET,
    });
    this.argocd = await startFakeArgoCd({ token: ARGOCD_TOKEN });
    const waves = this.options.waves ?? DEFAULT_WAVES;
    this.clusters = waves.flatMap((w) => w.clusters);
    if (this.options.prometheus) await this.startMetrics(this.options.prometheus.badMetric);
    const files: Record<string, string> = {
      ".github/waves.yml": wavesYaml(this.argocd.url, this.options, this.prometheus?.url),
      "base/app.yaml": "replicas: 2\n",
    };
    const clusterFiles: Record<string, string> = {};
    for (const cluster of this.clusters)
      clusterFiles[`clusters/${cluster}/app.yaml`] = clusterFile(cluster, INITIAL_REVISION);
    const gitops = this.options.gitops;
    if (gitops) await this.github.createRepo(REPO, files);
    const repo = gitops
      ? await this.github.createRepo(gitops, clusterFiles)
      : await this.github.createRepo(REPO, { ...files, ...clusterFiles });
    if (this.options.deleteBranchOnMerge)
      for (const r of this.github.repos.values()) r.deleteBranchOnMerge = true;
    for (const cluster of this.clusters) {
      this.argocd.upsertApp(
        fakeApplication({
          name: `payments-${cluster}`,
          labels: { cluster },
          destination: { name: cluster, namespace: "payments" },
          source: {
            repoURL: "https://github.com/acme/fleet.git",
            path: "base",
            targetRevision: INITIAL_REVISION,
          },
        }),
      );
    }
    const broken = new Set(this.options.broken ?? []);
    this.follower = createFleetFollower({
      gitDir: repo.git.path,
      clusters: this.clusters,
      appName: (c) => `payments-${c}`,
      argocd: this.argocd,
      clock: () => new Date(),
      healthyAfterMs: 300,
      isBroken: (cluster, pinned) => broken.has(cluster) && pinned !== INITIAL_REVISION,
      pinOf: async (cluster, read) => {
        const text = await read(`clusters/${cluster}/app.yaml`);
        if (text === undefined) return undefined;
        const doc = parse(text) as { spec?: { source?: { targetRevision?: string } } };
        return doc.spec?.source?.targetRevision;
      },
    });
    await this.follower.tick();
    this.followTimer = setInterval(() => void this.follower.tick().catch(() => undefined), 150);
    await this.startApp();
  }

  /** The exporter and a real Prometheus scraping it, ready once every cluster has a sample. */
  private async startMetrics(badMetric: string[]): Promise<void> {
    const bad = new Set(badMetric);
    this.exporter = createHttpServer((_req, res) => {
      const lines = this.clusters.map((cluster) => {
        const pinned = this.follower?.state(cluster)?.pinned;
        const ratio =
          bad.has(cluster) && pinned !== undefined && pinned !== INITIAL_REVISION ? 0.2 : 0.001;
        return `waves_e2e_error_ratio{cluster="${cluster}"} ${ratio}`;
      });
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# TYPE waves_e2e_error_ratio gauge\n${lines.join("\n")}\n`);
    });
    await new Promise<void>((resolve) => this.exporter?.listen(0, "127.0.0.1", resolve));
    const port = (this.exporter.address() as AddressInfo).port;
    this.prometheus = await startPrometheus({
      scrapeTarget: `127.0.0.1:${port}`,
      scrapeInterval: "1s",
    });
    const url = `${this.prometheus.url}/api/v1/query?query=${encodeURIComponent("count(waves_e2e_error_ratio)")}`;
    await this.until(
      "Prometheus scraped every cluster",
      async () => {
        const body = (await (await fetch(url)).json()) as {
          data?: { result?: { value?: [number, string] }[] };
        };
        return (
          Number(body.data?.result?.[0]?.value?.[1] ?? 0) === this.clusters.length || undefined
        );
      },
      30_000,
    );
  }

  /** Spawns the real app and waits until `/healthz` answers 200. */
  async startApp(): Promise<void> {
    this.port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.dir,
      NODE_ENV: "production",
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET,
      GHE_HOST: this.github.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(this.port),
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      WAVES_RECONCILE_INTERVAL: "500ms",
      WAVES_CACHE_DIR: join(this.dir, "cache"),
      ARGOCD_TOKEN,
      ...this.options.env,
    };
    const child = spawn(process.execPath, [MAIN], {
      env,
      cwd: this.dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.app = child;
    const collect = (data: Buffer) => {
      for (const line of data.toString().split("\n")) if (line) this.logs.push(line);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    this.github.webhooks.url = `${this.appUrl}/api/github/webhooks`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`app exited ${child.exitCode}:\n${this.logs.slice(-20).join("\n")}`);
      try {
        const response = await fetch(`${this.appUrl}/healthz`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`app did not become healthy:\n${this.logs.slice(-20).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILL: no shutdown hooks, like a node lost mid-bake. */
  async killApp(): Promise<void> {
    const child = this.app;
    if (!child || child.exitCode !== null) return;
    this.github.webhooks.url = undefined;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.app = undefined;
  }

  async stop(): Promise<void> {
    if (this.followTimer) clearInterval(this.followTimer);
    await this.killApp();
    await this.github.webhooks.idle();
    await Promise.all([this.github.close(), this.argocd.close(), this.prometheus?.stop()]);
    await new Promise<void>((resolve) =>
      this.exporter ? this.exporter.close(() => resolve()) : resolve(),
    );
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Waits until `check` returns a value (polling; the app works on its own clock). */
  async until<T>(
    what: string,
    check: () => Promise<T | undefined> | T | undefined,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}\n--- pulls:\n${this.describe()}\n--- app log tail:\n${this.logs.slice(-15).join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  describe(): string {
    return this.github
      .pullsOf(this.target)
      .map(
        (p) =>
          `#${p.number} ${p.head} ${p.state}${p.merged ? " merged" : ""} [${p.labels.join(",")}] ${p.title}`,
      )
      .join("\n");
  }

  pinned(cluster: string, ref = "main"): Promise<string | undefined> {
    return this.github.readFile(this.target, ref, `clusters/${cluster}/app.yaml`);
  }
}
