import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createOutwardHttpClient,
  fillPath,
  OutwardHttpError,
} from "../../src/health/http-client.js";
import { CallLedger } from "../../src/util/outward-calls.js";

const TOKEN = "s3cr3t-token-value-123";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handlers: Handler[] = [];
let seen: { url: string; auth: string | undefined }[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization });
    const handler = handlers.shift();
    if (!handler) {
      res.statusCode = 599;
      res.end("no handler");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  handlers = [];
  seen = [];
});

const json =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  };

function client(ledger: CallLedger, extra: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const sleeps: number[] = [];
  const c = createOutwardHttpClient({
    target: "prometheus",
    baseUrl: `${baseUrl}/prefix/`,
    tokenEnv: "PROM_TOKEN",
    env: extra.env ?? { PROM_TOKEN: TOKEN },
    ledger,
    timeoutMs: extra.timeoutMs ?? 2_000,
    retries: 2,
    backoffMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { c, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<OutwardHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutwardHttpError);
    return error as OutwardHttpError;
  }
  throw new Error("expected a failure");
}

describe("createOutwardHttpClient", () => {
  it("sends the bearer token, keeps the base path, encodes params and counts the template", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger);
    handlers.push(json(200, { ok: 1 }));
    const body = await c.getJson("/api/v1/things/{name}", {
      pathParams: { name: "a/b c" },
      query: { q: 'up{x="1"}', skip: undefined, many: ["1", "2"] },
    });
    expect(body).toEqual({ ok: 1 });
    expect(seen).toEqual([
      {
        url: "/prefix/api/v1/things/a%2Fb%20c?q=up%7Bx%3D%221%22%7D&many=1&many=2",
        auth: `Bearer ${TOKEN}`,
      },
    ]);
    expect(ledger.all().map((r) => [r.target, r.endpoint, r.status])).toEqual([
      ["prometheus", "GET /api/v1/things/{name}", 200],
    ]);
  });

  it("retries 5xx with doubling backoff, counting every attempt", async () => {
    const ledger = new CallLedger();
    const { c, sleeps } = client(ledger);
    handlers.push(json(503, { error: "busy" }), json(502, {}), json(200, { n: 3 }));
    expect(await c.getJson("/x")).toEqual({ n: 3 });
    expect(sleeps).toEqual([100, 200]);
    expect(ledger.all().map((r) => r.status)).toEqual([503, 502, 200]);
  });

  it("gives up after the retries with a server error", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger);
    handlers.push(json(500, { error: "a" }), json(500, { error: "b" }), json(500, { error: "c" }));
    const error = await failure(c.getJson("/x"));
    expect(error.kind).toBe("server");
    expect(error.status).toBe(500);
    expect(error.message).toBe("Prometheus failed GET /x (HTTP 500): c");
    expect(ledger.count()).toBe(3);
  });

  it("never retries 4xx and keeps the error body", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger);
    handlers.push(json(400, { status: "error", errorType: "bad_data", error: "parse error" }));
    const error = await failure(c.getJson("/q"));
    expect(error.kind).toBe("client");
    expect(error.status).toBe(400);
    expect(error.body).toEqual({ status: "error", errorType: "bad_data", error: "parse error" });
    expect(error.message).toBe("Prometheus rejected GET /q (HTTP 400): parse error");
    expect(ledger.count()).toBe(1);
  });

  it("classifies 401/403 as unauthorized without leaking the token", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger);
    handlers.push(json(401, { message: `bad token ${TOKEN}` }));
    const error = await failure(c.getJson("/q"));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain("PROM_TOKEN");
  });

  it("refuses to call without the named token", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger, { env: {} });
    const error = await failure(c.getJson("/q"));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toBe(
      "Prometheus token missing: environment variable PROM_TOKEN is not set",
    );
    expect(ledger.count()).toBe(0);
  });

  it("reports a non-JSON 200 as malformed", async () => {
    const ledger = new CallLedger();
    const { c } = client(ledger);
    handlers.push((_req, res) => res.end("<html>login</html>"));
    const error = await failure(c.getJson("/q"));
    expect(error.kind).toBe("malformed");
  });

  it("times out a hung server and retries it", async () => {
    const ledger = new CallLedger();
    const { c, sleeps } = client(ledger, { timeoutMs: 150 });
    const hang: Handler = () => {};
    handlers.push(hang, hang, hang);
    const error = await failure(c.getJson("/slow"));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe("Prometheus did not answer GET /slow within 150ms");
    expect(sleeps).toEqual([100, 200]);
    expect(ledger.all().map((r) => r.status)).toEqual(["error", "error", "error"]);
  });

  it("reports a closed port as unreachable after retries", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const ledger = new CallLedger();
    const c = createOutwardHttpClient({
      target: "argocd",
      baseUrl: `http://127.0.0.1:${port}`,
      ledger,
      sleep: async () => {},
    });
    const error = await failure(c.getJson("/api/v1/applications"));
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe(
      `Argo CD unreachable at http://127.0.0.1:${port} (GET /api/v1/applications): ECONNREFUSED`,
    );
    expect(ledger.count({ status: "error" })).toBe(3);
  });

  it("fills path templates and rejects missing parameters", () => {
    expect(fillPath("/a/{x}/b/{y}", { x: "1", y: "é" })).toBe("/a/1/b/%C3%A9");
    expect(() => fillPath("/a/{x}", {})).toThrow("missing path parameter 'x' for /a/{x}");
  });
});
