import { z } from "zod";
import { Duration, Name } from "./common.schema.js";

/** Health checks every installation has without declaring them. */
export const BUILTIN_HEALTH_CHECKS = ["argocd-sync", "pod-health"] as const;

const Threshold = z
  .union([
    z.string().regex(/^\s*(<=|>=|==|!=|<|>)\s*-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?\s*$/, {
      message: "must be a comparison such as '< 0.01', '>= 0.95' or '== 0'",
    }),
    z
      .strictObject({
        min: z.number().optional().meta({ description: "Lowest allowed value." }),
        max: z.number().optional().meta({ description: "Highest allowed value." }),
      })
      .refine((range) => range.min !== undefined || range.max !== undefined, {
        message: "needs min, max or both",
      }),
  ])
  .meta({ description: "A comparison ('< 0.01', '>= 0.95') or a range { min, max }." });

/** A custom health check. */
export const HealthCheck = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("prometheus").meta({ description: "A PromQL query with a condition." }),
      /**
       * PromQL; `{cluster}`, `{wave}` and `{revision}` are replaced (escaped for the string they
       * stand in, and regex-quoted inside `=~` and `!~` matchers).
       */
      query: z.string().min(1).meta({
        description: "PromQL; {cluster}, {wave} and {revision} are replaced.",
      }),
      /** Every returned series must satisfy this. */
      condition: Threshold.meta({
        description:
          "Every returned series must satisfy this: '< 0.01', '>= 0.95' or { min, max }.",
      }),
      /** What no data means. */
      onNoData: z.enum(["fail", "pass", "pending"]).default("fail").meta({
        description: "What an empty result means: fail (default), pass or pending.",
      }),
      /** How often the query runs at most. */
      interval: Duration.optional().meta({
        description: "How often the query runs at most (a duration); default every evaluation.",
      }),
      /** Consecutive failing evaluations before the check fails. */
      failureLimit: z.number().int().min(1).default(1).meta({
        description: "Consecutive failing evaluations before the check fails.",
      }),
      /** Named Prometheus instance; default the cluster's or the only one. */
      instance: Name.optional().meta({
        description: "Named Prometheus instance; default the cluster's, or the only one.",
      }),
    }),
    z.strictObject({
      type: z.literal("argocd-sync").meta({
        description: "Argo CD applications synced to the revision and healthy.",
      }),
      /** Consecutive failing evaluations before the check fails. */
      failureLimit: z.number().int().min(1).default(1).meta({
        description: "Consecutive failing evaluations before the check fails.",
      }),
    }),
    z.strictObject({
      type: z.literal("pod-health").meta({
        description: "Pods of the cluster's applications ready, not crash-looping.",
      }),
      /** Restarts allowed per pod since the wave merged. */
      maxRestarts: z.number().int().min(0).default(0).meta({
        description: "Restarts allowed per pod since the wave merged.",
      }),
      /** Consecutive failing evaluations before the check fails. */
      failureLimit: z.number().int().min(1).default(1).meta({
        description: "Consecutive failing evaluations before the check fails.",
      }),
    }),
  ])
  .meta({ description: "A custom health check: prometheus, argocd-sync or pod-health." });
export type HealthCheck = z.output<typeof HealthCheck>;
