/**
 * The fake GitHub's HTTP side: authentication (app JWT verified with the app's public key,
 * installation tokens it issued), REST routing with GitHub's headers (rate limit, ETag / 304),
 * and git smart HTTP with push detection (ref changes become `push` webhooks).
 */
import { createHash, createVerify, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeGitHub } from "./fake-github.js";
import { type Caller, match, notFound, type Route } from "./fake-router.js";
import { serveGit } from "./git-backend.js";

function verifyJwt(token: string, publicKey: string, appId: number): boolean {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return false;
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(publicKey, Buffer.from(signature, "base64url"))) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
    iss?: unknown;
    exp?: number;
  };
  return String(claims.iss) === String(appId) && (claims.exp ?? 0) * 1000 > Date.now() - 60_000;
}

export function fakeHttpHandler(
  fake: FakeGitHub,
  routes: Route[],
  publicKey: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  function callerOf(req: IncomingMessage): Caller | "invalid" {
    const header = req.headers.authorization;
    if (!header) return { kind: "none" };
    const m = /^(?:bearer|token)\s+(\S+)$/i.exec(header);
    if (!m?.[1]) return "invalid";
    const token = m[1];
    if (token.split(".").length === 3)
      return verifyJwt(token, publicKey, fake.appId) ? { kind: "app" } : "invalid";
    const issued = fake.tokens.get(token);
    if (!issued || issued.expiresAt < Date.now()) return "invalid";
    return { kind: "installation", installationId: issued.installationId, login: fake.bot.login };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", fake.baseUrl);
    const gitMatch = /^\/([^/]+)\/([^/]+?\.git)(\/.*)$/.exec(url.pathname);
    if (gitMatch) return handleGit(req, res, gitMatch, url);
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    const found = match(routes, req.method ?? "GET", path);
    const caller = callerOf(req);
    const body = await readJson(req);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const text = payload === undefined ? "" : JSON.stringify(payload);
      // Conditional GETs like GitHub's: a strong ETag over the body; a match answers 304.
      let etag: string | undefined;
      if (req.method === "GET" && status === 200) {
        etag = `"${createHash("sha1").update(text).digest("hex")}"`;
        if (req.headers["if-none-match"] === etag) {
          status = 304;
        }
      }
      fake.requests.push({
        method: req.method ?? "GET",
        endpoint: `${req.method} ${found?.route.template ?? path}`,
        path,
        status,
        caller: caller === "invalid" ? "none" : caller.kind,
        at: Date.now(),
      });
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-github-request-id": randomBytes(4).toString("hex"),
        ...(etag ? { etag } : {}),
        ...headers,
      });
      res.end(status === 304 ? "" : text);
    };
    if (caller === "invalid") return send(401, { message: "Bad credentials" });
    if (fake.outage !== undefined && path !== "/meta")
      return send(fake.outage, { message: "Service unavailable" });
    if (!found) {
      const r = notFound();
      return send(r.status, r.body);
    }
    const need = found.route.auth;
    if (need === "app" && caller.kind !== "app") {
      return send(401, { message: "A JSON web token could not be decoded" });
    }
    if (need === "installation" && caller.kind !== "installation") {
      return send(401, { message: "Requires authentication" });
    }
    const result = await found.route.handler({
      method: req.method ?? "GET",
      params: found.params,
      query: url.searchParams,
      body,
      caller,
      req,
    });
    send(result.status, result.body, result.headers);
  }

  async function handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    m: RegExpExecArray,
    url: URL,
  ): Promise<void> {
    const owner = m[1] ?? "";
    const name = (m[2] ?? "").replace(/\.git$/, "");
    const repo = fake.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) {
      res.writeHead(404).end("Repository not found");
      return;
    }
    const isPush = url.pathname.endsWith("/git-receive-pack");
    const before = isPush ? await repo.git.refs() : undefined;
    await serveGit(
      fake.gitRoot,
      req,
      res,
      `/${owner}/${name}.git${m[3] ?? ""}`,
      url.search.slice(1),
      (token) => {
        const issued = token ? fake.tokens.get(token) : undefined;
        return issued && issued.expiresAt >= Date.now() ? fake.bot.login : undefined;
      },
    );
    fake.requests.push({
      method: req.method ?? "GET",
      endpoint: `GIT ${m[3]}`,
      path: url.pathname,
      status: res.statusCode,
      caller: "installation",
      at: Date.now(),
    });
    if (before) {
      const after = await repo.git.refs();
      const refs = new Set([...before.keys(), ...after.keys()]);
      for (const ref of refs) {
        if (before.get(ref) !== after.get(ref)) {
          await fake.afterRefUpdate(repo, ref, before.get(ref), after.get(ref), fake.bot);
        }
      }
    }
  }

  return handle;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
