import { z } from "zod";
import { EndpointUrl, EnvName, InlineToken, Name } from "./common.schema.js";

/** One Argo CD instance. */
export const ArgoCdInstance = z
  .strictObject({
    /** Base URL of the Argo CD API server, e.g. https://argocd.example.com */
    url: EndpointUrl.meta({ description: "Base URL of the Argo CD API server." }),
    /** Environment variable that holds a read-only Argo CD API token. */
    tokenEnv: EnvName.optional().meta({
      description: "Environment variable that holds the API token (never the token itself).",
    }),
    /** Label selector that finds a cluster's applications; `{cluster}` is replaced. */
    appSelector: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Label selector for a cluster's applications; {cluster} is replaced." }),
    /** Skip TLS verification (for self-signed lab instances only). */
    insecure: z.boolean().optional().meta({ description: "Skip TLS verification (lab use only)." }),
    token: InlineToken,
  })
  .meta({ description: "An Argo CD instance." });
export type ArgoCdInstance = z.output<typeof ArgoCdInstance>;

/** One Prometheus (or Prometheus-compatible) query endpoint. */
export const PrometheusInstance = z
  .strictObject({
    /** Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090 */
    url: EndpointUrl.meta({ description: "Base URL of the Prometheus HTTP API." }),
    /** Environment variable that holds a bearer token, if the endpoint needs one. */
    tokenEnv: EnvName.optional().meta({
      description: "Environment variable that holds the API token (never the token itself).",
    }),
    token: InlineToken,
  })
  .meta({ description: "A Prometheus query endpoint." });
export type PrometheusInstance = z.output<typeof PrometheusInstance>;

/** Either one instance, or a map of named instances picked per cluster. */
export function instances<T extends z.ZodType>(instance: T) {
  return z.union([instance, z.record(Name, instance)]);
}
