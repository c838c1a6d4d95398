/** `/healthz` and `/metrics` on the app's port, as a Probot server handler. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppMetrics } from "./app-metrics.js";
import type { Reachability } from "./github-reachability.js";

export interface RoutesDeps {
  metrics: AppMetrics;
  githubReachable: () => Promise<Reachability>;
  /** Repositories with an active rollout, for the gauge. */
  activeRollouts: () => number;
  /** Failed event work the reconciler will try again, for the gauge. */
  pendingRetries?: () => number;
}

/** Returns true when it answered the request (Probot's handler contract). */
export function createRoutes(deps: RoutesDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/healthz") {
      const github = await deps.githubReachable();
      const body = JSON.stringify({
        status: github.ok ? "ok" : "unavailable",
        github: { reachable: github.ok, status: github.status, checkedAt: github.checkedAt },
      });
      res.writeHead(github.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    }
    if (path === "/metrics") {
      deps.metrics.activeRollouts.set(deps.activeRollouts());
      deps.metrics.pendingRetries.set(deps.pendingRetries?.() ?? 0);
      const text = await deps.metrics.registry.metrics();
      res.writeHead(200, { "content-type": deps.metrics.registry.contentType });
      res.end(req.method === "HEAD" ? undefined : text);
      return true;
    }
    return false;
  };
}
