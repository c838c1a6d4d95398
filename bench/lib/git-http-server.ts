/**
 * A smart-HTTP git server for tests and benchmarks: node's http server running
 * `git-http-backend` as CGI over a directory of bare repositories, with Basic auth whose
 * password must equal the token. Listens on 127.0.0.1, on a port the OS picks.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGunzip } from "node:zlib";

const BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT`; repositories are at `${url}/<name>.git`. */
  url: string;
  close(): Promise<void>;
  /** HTTP requests received so far (including refused ones). */
  readonly requests: number;
}

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories. */
  root: string;
  /** When set, every request needs `Authorization: Basic` with this password. */
  token?: string;
}

function authorizedUser(req: IncomingMessage, token: string | undefined): string | undefined {
  if (token === undefined) return "anonymous";
  const header = req.headers.authorization ?? "";
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0 || decoded.slice(colon + 1) !== token) return undefined;
  return decoded.slice(0, colon) || "token";
}

function runBackend(req: IncomingMessage, res: ServerResponse, root: string, user: string): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const child = spawn(BACKEND, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const body = /gzip/i.test(String(req.headers["content-encoding"] ?? ""))
    ? req.pipe(createGunzip())
    : req;
  body.pipe(child.stdin);
  child.stdin.on("error", () => {});
  child.stderr.resume();
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    const endLf = head.indexOf("\n\n");
    const cut = end >= 0 ? end : endLf;
    if (cut < 0) return;
    const sepLength = end >= 0 ? 4 : 2;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, cut).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(cut + sepLength));
  });
  child.on("close", () => {
    if (!headersSent) res.writeHead(502).end("git-http-backend failed");
    else res.end();
  });
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const user = authorizedUser(req, options.token);
    if (user === undefined) {
      req.resume();
      res
        .writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' })
        .end("authentication required");
      return;
    }
    runBackend(req, res, options.root, user);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
