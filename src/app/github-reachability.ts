/**
 * Whether GitHub answers: an unauthenticated `GET /meta` on the API base, cached a few seconds so
 * that a load balancer polling `/healthz` does not spend GitHub's rate limit.
 */
import { countedCall } from "../util/outward-calls.js";

export interface Reachability {
  ok: boolean;
  status: number | "error";
  checkedAt: string;
}

export function githubReachability(options: {
  apiBaseUrl: string;
  cacheMs?: number;
  timeoutMs?: number;
  clock?: () => number;
}): () => Promise<Reachability> {
  const cacheMs = options.cacheMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clock = options.clock ?? Date.now;
  let cached: { at: number; value: Promise<Reachability> } | undefined;
  const probe = async (): Promise<Reachability> => {
    const checkedAt = new Date(clock()).toISOString();
    try {
      const response = await countedCall(
        "github",
        "GET /meta",
        () =>
          fetch(`${options.apiBaseUrl.replace(/\/$/, "")}/meta`, {
            headers: { accept: "application/vnd.github+json", "user-agent": "gitops-waves" },
            signal: AbortSignal.timeout(timeoutMs),
          }),
        ({ result }) => {
          const remaining = result?.headers.get("x-ratelimit-remaining");
          return {
            status: result ? result.status : "error",
            ...(remaining ? { rateLimitRemaining: Number(remaining) } : {}),
          };
        },
      );
      await response.body?.cancel();
      return { ok: response.status < 500, status: response.status, checkedAt };
    } catch {
      return { ok: false, status: "error", checkedAt };
    }
  };
  return () => {
    const now = clock();
    if (!cached || now - cached.at >= cacheMs) cached = { at: now, value: probe() };
    return cached.value;
  };
}
