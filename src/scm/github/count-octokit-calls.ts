/**
 * Counts every Octokit request in the call ledger (target "github"), with the endpoint as the
 * method and path template (never the expanded URL with owner names or query values) and the
 * `x-ratelimit-remaining` header when GitHub sends one.
 */
import type { ProbotOctokit } from "probot";
import { type CallLedger, callLedger, countedCall } from "../../util/outward-calls.js";

const instrumented = new WeakSet<object>();

interface RequestOptions {
  method?: string;
  url?: string;
}

/** `GET /repos/{owner}/{repo}/pulls` from the request options, without origin or query. */
export function endpointTemplate(options: RequestOptions): string {
  const method = (options.method ?? "GET").toUpperCase();
  let path = options.url ?? "/";
  path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, "");
  path = path.replace(/^\/api\/v3(?=\/)/, "");
  const query = path.indexOf("?");
  if (query >= 0) path = path.slice(0, query);
  return `${method} ${path || "/"}`;
}

function headerNumber(headers: unknown, name: string): number | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (value === undefined || value === null || value === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function outcomeOf(outcome: { result?: unknown; error?: unknown }): {
  status: number | "error";
  rateLimitRemaining?: number;
} {
  const source = (outcome.result ?? outcome.error) as
    | { status?: unknown; headers?: unknown; response?: { status?: unknown; headers?: unknown } }
    | undefined;
  const status = source?.status ?? source?.response?.status;
  const headers = source?.headers ?? source?.response?.headers;
  const remaining = headerNumber(headers, "x-ratelimit-remaining");
  return {
    status: typeof status === "number" ? status : "error",
    ...(remaining === undefined ? {} : { rateLimitRemaining: remaining }),
  };
}

type Hookable = Pick<ProbotOctokit, "hook">;

/** Wraps the octokit's request hook once; later calls on the same instance do nothing. */
export function countOctokitCalls(octokit: Hookable, ledger: CallLedger = callLedger): void {
  if (instrumented.has(octokit)) return;
  instrumented.add(octokit);
  octokit.hook.wrap("request", async (request, options) =>
    countedCall(
      "github",
      endpointTemplate(options),
      async () => request(options),
      outcomeOf,
      ledger,
    ),
  );
}

/** The same as an Octokit plugin, for `ProbotOctokit.plugin(countOctokitCallsPlugin)`. */
export function countOctokitCallsPlugin(octokit: Hookable): void {
  countOctokitCalls(octokit);
}
