/**
 * Read-only Argo CD REST client: the three calls the gates need, each one GET through the shared
 * outward HTTP client (timeout, bounded retries on 5xx/timeouts/refused connections, bearer token
 * from the environment, every attempt counted as target `argocd`).
 */
import {
  createOutwardHttpClient,
  type OutwardHttpClientOptions,
  OutwardHttpError,
} from "../http-client.js";
import type {
  Application,
  ApplicationList,
  ApplicationTree,
  ArgoCluster,
  ClusterList,
} from "./argocd-types.js";

/**
 * The shared outward client's options (timeout, retries, backoff, token variable, ledger), with
 * the instance URL as `url` and the environment required.
 */
export type ArgoCdClientOptions = Omit<OutwardHttpClientOptions, "target" | "baseUrl" | "env"> & {
  /** Base URL of the Argo CD API server (no credentials). */
  url: string;
  env: NodeJS.ProcessEnv;
};

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
  const { url, ...rest } = options;
  const http = createOutwardHttpClient({ ...rest, target: "argocd", baseUrl: url });

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
