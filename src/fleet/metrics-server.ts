/**
 * A tiny Prometheus-compatible query endpoint for the demo and tests. It answers
 * `GET /api/v1/query` (and `POST` with a form body) with the real instant-vector response shape,
 * one series per cluster named by the query's `cluster="..."` matcher, with the value the caller
 * set for that cluster. It is not a PromQL engine: the query only selects the cluster.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MetricsServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (configure it as `prometheus.url`). */
  readonly url: string;
  /** Sets the value the query returns for a cluster. */
  setValue(cluster: string, value: number): void;
  /** Removes a cluster's series: its query returns an empty vector (no data). */
  clearValue(cluster: string): void;
  /** The value set for a cluster, if any. */
  valueOf(cluster: string): number | undefined;
  /** Queries received so far (the PromQL text). */
  readonly queries: readonly string[];
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  /** Value for clusters that were never set; undefined means no data (empty result). */
  defaultValue?: number;
  /** The name put in each series' `__name__`-less metric labels besides `cluster`. */
  extraLabels?: Record<string, string>;
  /** Time used for the sample when the query has no `time` parameter (default: wall clock). */
  now?: () => Date;
}

/** The `cluster="..."` (or `cluster=~"..."` taken literally) matcher's value, unescaped. */
export function clusterOfQuery(query: string): string | undefined {
  const match = /\bcluster\s*=~?\s*"((?:[^"\\]|\\.)*)"/.exec(query);
  if (!match) return undefined;
  return match[1]!.replace(/\\(.)/g, (_all, ch: string) => (ch === "n" ? "\n" : ch));
}

/** Formats a number the way Prometheus does in sample values. */
function promNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startMetricsServer(
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  const values = new Map<string, number>();
  const queries: string[] = [];
  const now = options.now ?? (() => new Date());

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { status: "error", errorType: "internal", error: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/-/ready" || url.pathname === "/-/healthy") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("Prometheus Server is Ready.\n");
      return;
    }
    if (url.pathname !== "/api/v1/query") {
      send(res, 404, { status: "error", errorType: "not_found", error: "not found" });
      return;
    }
    let params = url.searchParams;
    if (req.method === "POST") {
      params = new URLSearchParams(await readBody(req));
    } else if (req.method !== "GET") {
      send(res, 405, { status: "error", errorType: "bad_data", error: "method not allowed" });
      return;
    }
    const query = params.get("query");
    if (!query) {
      send(res, 400, {
        status: "error",
        errorType: "bad_data",
        error: 'invalid parameter "query": 1:1: parse error: no expression found in input',
      });
      return;
    }
    queries.push(query);
    const timeParam = params.get("time");
    const time = timeParam !== null ? Number(timeParam) : now().getTime() / 1000;
    if (!Number.isFinite(time)) {
      send(res, 400, {
        status: "error",
        errorType: "bad_data",
        error: `invalid parameter "time": cannot parse "${timeParam}" to a valid timestamp`,
      });
      return;
    }
    const cluster = clusterOfQuery(query);
    const value = cluster === undefined ? undefined : (values.get(cluster) ?? options.defaultValue);
    const result =
      cluster === undefined || value === undefined
        ? []
        : [{ metric: { ...options.extraLabels, cluster }, value: [time, promNumber(value)] }];
    send(res, 200, { status: "success", data: { resultType: "vector", result } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setValue: (cluster, value) => {
      values.set(cluster, value);
    },
    clearValue: (cluster) => {
      values.delete(cluster);
    },
    valueOf: (cluster) => values.get(cluster),
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
