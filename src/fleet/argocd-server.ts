/**
 * A fake Argo CD API server (node:http on 127.0.0.1, port chosen by the OS) for tests, the e2e
 * suite and the demo. It serves the read-only endpoints the gates call with Argo CD's response
 * shapes (`v1alpha1ApplicationList`, `v1alpha1Application`, `v1alpha1ApplicationTree`,
 * `v1alpha1ClusterList`, errors as `runtimeError`), demands the bearer token when one is set, and
 * can inject latency, errors, malformed bodies and hangs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Application, ApplicationTree, ArgoCluster } from "../health/argocd/argocd-types.js";
import { matchesSelector, parseSelector, SelectorError } from "../health/argocd/label-selector.js";
import { type SyncSimulation, simulatedTree, syncedStatus } from "./argocd-simulator.js";

export interface FakeArgoCdOptions {
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Delay before every answer. */
  latencyMs?: number;
}

export interface FailSpec {
  /** Answer with this status (default 500). */
  status?: number;
  /** Raw body (default a runtimeError JSON); use it for malformed JSON. */
  body?: string;
  /** Never answer (until the client gives up or the server closes). */
  hang?: boolean;
  /** Only requests whose path starts with this (default any). */
  path?: string;
  /** How many requests to fail (default 1). */
  times?: number;
}

export interface FakeArgoCd {
  readonly url: string;
  close(): Promise<void>;
  /** Requests received (including failed ones), optionally only those whose path starts with a prefix. */
  requestCount(pathPrefix?: string): number;
  resetCounts(): void;
  /** Every request's path and query (`/api/v1/applications?selector=cluster%3Dc1`), oldest first. */
  requestLog(): readonly string[];
  /** Most requests that were being answered at the same moment since the last reset. */
  peakInFlight(): number;
  /** Forgets every app, tree, cluster, injected failure and count. */
  reset(): void;
  upsertApp(app: Application): void;
  removeApp(name: string): void;
  getApp(name: string): Application | undefined;
  setTree(appName: string, tree: ApplicationTree): void;
  getTree(appName: string): ApplicationTree | undefined;
  /** Adds or updates a cluster by server URL; `name` defaults to the server. */
  setCluster(
    server: string,
    status: "Successful" | "Failed" | "Unknown",
    details?: { name?: string; message?: string },
  ): void;
  failNext(spec?: FailSpec): void;
  /** Makes an existing app look synced (or syncing) the way Argo CD reports it, tree included. */
  syncApp(name: string, sim: SyncSimulation): void;
}

function runtimeError(code: number, message: string): string {
  return JSON.stringify({ error: message, code, message, details: [] });
}

export async function startFakeArgoCd(options: FakeArgoCdOptions = {}): Promise<FakeArgoCd> {
  const apps = new Map<string, { app: Application; json: string }>();
  const trees = new Map<string, ApplicationTree>();
  const clusters = new Map<string, ArgoCluster>();
  const failures: (Required<Omit<FailSpec, "body">> & { body?: string })[] = [];
  const paths: string[] = [];
  const log: string[] = [];
  const sockets = new Set<Socket>();
  let version = 1;
  let inFlight = 0;
  let peak = 0;

  const send = (res: ServerResponse, status: number, body: string) => {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    };
    if (options.latencyMs) setTimeout(write, options.latencyMs);
    else write();
  };

  const listApps = (url: URL): { status: number; body: string } => {
    const selector = url.searchParams.get("selector");
    const appNamespace = url.searchParams.get("appNamespace");
    let requirements: ReturnType<typeof parseSelector> | undefined;
    if (selector) {
      try {
        requirements = parseSelector(selector);
      } catch (error) {
        const message = error instanceof SelectorError ? error.message : "bad selector";
        return { status: 400, body: runtimeError(3, message) };
      }
    }
    const parts: string[] = [];
    for (const { app, json } of apps.values()) {
      if (requirements && !matchesSelector(requirements, app.metadata.labels)) continue;
      if (appNamespace && app.metadata.namespace !== appNamespace) continue;
      parts.push(json);
    }
    return {
      status: 200,
      body: `{"metadata":{"resourceVersion":"${version}"},"items":[${parts.join(",")}]}`,
    };
  };

  const route = (req: IncomingMessage, url: URL): { status: number; body: string } => {
    if (req.method !== "GET") return { status: 405, body: runtimeError(12, "Method Not Allowed") };
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/api/v1/applications") return listApps(url);
    if (path === "/api/v1/clusters") {
      return {
        status: 200,
        body: JSON.stringify({ metadata: {}, items: [...clusters.values()] }),
      };
    }
    const tree = /^\/api\/v1\/applications\/([^/]+)\/resource-tree$/.exec(path);
    const one = /^\/api\/v1\/applications\/([^/]+)$/.exec(path);
    const name = decodeURIComponent((tree ?? one)?.[1] ?? "");
    if (tree || one) {
      const entry = apps.get(name);
      if (!entry) {
        return {
          status: 404,
          body: runtimeError(5, `applications.argoproj.io "${name}" not found`),
        };
      }
      if (one) return { status: 200, body: entry.json };
      return { status: 200, body: JSON.stringify(trees.get(name) ?? { nodes: [], hosts: [] }) };
    }
    return { status: 404, body: runtimeError(5, "Not Found") };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    paths.push(url.pathname);
    log.push(url.pathname + url.search);
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on("close", () => inFlight--);
    const index = failures.findIndex((f) => url.pathname.startsWith(f.path));
    if (index >= 0) {
      const failure = failures[index]!;
      failure.times--;
      if (failure.times <= 0) failures.splice(index, 1);
      if (failure.hang) return; // the socket stays open until the client aborts or we close
      send(res, failure.status, failure.body ?? runtimeError(13, "injected failure"));
      return;
    }
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      send(res, 401, runtimeError(16, "no session information"));
      return;
    }
    const { status, body } = route(req, url);
    send(res, status, body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeArgoCd = {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    requestCount(prefix) {
      return prefix ? paths.filter((p) => p.startsWith(prefix)).length : paths.length;
    },
    resetCounts() {
      paths.length = 0;
      log.length = 0;
      peak = inFlight;
    },
    requestLog() {
      return [...log];
    },
    peakInFlight() {
      return peak;
    },
    reset() {
      apps.clear();
      trees.clear();
      clusters.clear();
      failures.length = 0;
      fake.resetCounts();
    },
    upsertApp(app) {
      version++;
      apps.set(app.metadata.name, { app, json: JSON.stringify(app) });
    },
    removeApp(name) {
      version++;
      apps.delete(name);
      trees.delete(name);
    },
    getApp(name) {
      return apps.get(name)?.app;
    },
    setTree(appName, tree) {
      trees.set(appName, tree);
    },
    getTree(appName) {
      return trees.get(appName);
    },
    setCluster(server, status, details = {}) {
      const state = {
        status,
        message: details.message ?? (status === "Successful" ? "" : "cluster unreachable"),
        attemptedAt: new Date(0).toISOString(),
      };
      clusters.set(server, {
        server,
        name: details.name ?? server,
        connectionState: state,
        info: { connectionState: state, applicationsCount: 0, serverVersion: "1.30" },
      });
    },
    failNext(spec = {}) {
      failures.push({
        status: spec.status ?? 500,
        hang: spec.hang ?? false,
        path: spec.path ?? "/",
        times: spec.times ?? 1,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
      });
    },
    syncApp(name, sim) {
      const entry = apps.get(name);
      if (!entry) throw new Error(`fake Argo CD: no application named ${name}; upsertApp it first`);
      const app: Application = { ...entry.app, status: syncedStatus(entry.app, sim) };
      fake.upsertApp(app);
      trees.set(name, simulatedTree(app, sim));
    },
  };
  return fake;
}
