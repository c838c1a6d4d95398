/**
 * Read-only Argo CD REST client: the three calls the gates need, each one GET through the shared
 * outward HTTP client (timeout, bounded retries on 5xx/timeouts/refused connections, bearer token
 * from the environment, every attempt counted as target `argocd`).
 */
import type { CallLedger } from "../../util/outward-calls.js";
import { createOutwardHttpClient, OutwardHttpError } from "../http-client.js";
import type {
  Application,
  ApplicationList,
  ApplicationTree,
  ArgoCluster,
  ClusterList,
} from "./argocd-types.js";

export interface ArgoCdClientOptions {
  /** Base URL of the Argo CD API server (no credentials). */
  url: string;
  /** Environment variable with a read-only API token. */
  tokenEnv?: string;
  env: NodeJS.ProcessEnv;
  /** Per attempt (default 10s). */
  timeoutMs?: number;
  /** Extra attempts on transient failures (default 2). */
  retries?: number;
  /** First backoff, doubled per retry (default 200ms). */
  backoffMs?: number;
  insecure?: boolean;
  ledger?: CallLedger;
  sleep?: (ms: number) => Promise<void>;
}

export interface ArgoCdClient {
  readonly baseUrl: string;
  /** `GET /api/v1/applications`, with `?selector=` when given. */
  listApplications(selector?: string): Promise<Application[]>;
  /** `GET /api/v1/clusters`. */
  listClusters(): Promise<ArgoCluster[]>;
  /** `GET /api/v1/applications/{name}/resource-tree`. */
  resourceTree(appName: string, appNamespace?: string): Promise<ApplicationTree>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A list body must be an object whose `items` is an array or null (Go's empty slice). */
function itemsOf<T>(body: unknown, endpoint: string): T[] {
  if (
    !isRecord(body) ||
    !(body.items === undefined || body.items === null || Array.isArray(body.items))
  ) {
    throw new OutwardHttpError(
      "malformed",
      `Argo CD answered ${endpoint} with an unexpected shape`,
    );
  }
  return (body.items ?? []) as T[];
}

export function createArgoCdClient(options: ArgoCdClientOptions): ArgoCdClient {
  const http = createOutwardHttpClient({
    target: "argocd",
    baseUrl: options.url,
    env: options.env,
    ...(options.tokenEnv ? { tokenEnv: options.tokenEnv } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.ledger ? { ledger: options.ledger } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

  return {
    baseUrl: http.baseUrl,

    async listApplications(selector) {
      const body = await http.getJson<ApplicationList>("/api/v1/applications", {
        query: { selector },
      });
      const items = itemsOf<Application>(body, "GET /api/v1/applications");
      for (const app of items) {
        if (!isRecord(app) || !isRecord(app.metadata) || typeof app.metadata.name !== "string") {
          throw new OutwardHttpError(
            "malformed",
            "Argo CD answered GET /api/v1/applications with an application without metadata.name",
          );
        }
      }
      return items;
    },

    async listClusters() {
      const body = await http.getJson<ClusterList>("/api/v1/clusters");
      return itemsOf<ArgoCluster>(body, "GET /api/v1/clusters");
    },

    async resourceTree(appName, appNamespace) {
      const endpoint = "/api/v1/applications/{name}/resource-tree";
      const body = await http.getJson<ApplicationTree>(endpoint, {
        pathParams: { name: appName },
        query: { appNamespace },
      });
      if (
        !isRecord(body) ||
        !(body.nodes === undefined || body.nodes === null || Array.isArray(body.nodes))
      ) {
        throw new OutwardHttpError(
          "malformed",
          `Argo CD answered GET ${endpoint} with an unexpected shape`,
        );
      }
      return body;
    },
  };
}
