/** A small route table for the fake: method + path template → handler, with a request log. */
import type { IncomingMessage } from "node:http";

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The caller: an installation token's bot, the app (JWT), or nobody. */
  caller: Caller;
  req: IncomingMessage;
}

export type Caller =
  | { kind: "app" }
  | { kind: "installation"; installationId: number; login: string }
  | { kind: "none" };

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest) => Promise<RouteResponse> | RouteResponse;

export interface Route {
  method: string;
  /** `/repos/{owner}/{repo}/pulls/{pull_number}`, as Octokit names it. */
  template: string;
  auth: "app" | "installation" | "none";
  handler: RouteHandler;
  pattern: RegExp;
  names: string[];
}

export function route(
  method: string,
  template: string,
  auth: Route["auth"],
  handler: RouteHandler,
): Route {
  const names: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    // `{name}` in a label path may hold encoded slashes; the last segment of contents may be a path.
    return name === "path" ? "(.+)" : "([^/]+)";
  });
  return { method, template, auth, handler, pattern: new RegExp(`^${source}$`), names };
}

export function match(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? "");
    });
    return { route: r, params };
  }
  return undefined;
}

/** Pages a list like GitHub: `per_page` (max 100), `page`, and a `Link` header to the next one. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  selfUrl: string,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30)));
  const page = Math.max(1, Number(query.get("page") ?? 1));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < items.length) {
    const next = new URL(selfUrl);
    next.searchParams.set("page", String(page + 1));
    next.searchParams.set("per_page", String(perPage));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return { page: slice, headers };
}

export const notFound = (): RouteResponse => ({
  status: 404,
  body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
});

export const validationFailed = (message: string, errors: unknown[] = []): RouteResponse => ({
  status: 422,
  body: { message, errors, documentation_url: "https://docs.github.com/rest" },
});
