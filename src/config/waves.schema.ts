import { z } from "zod";
import { Cluster } from "./cluster.schema.js";
import { Duration, GlobList, Name } from "./common.schema.js";
import { BUILTIN_HEALTH_CHECKS, HealthCheck } from "./health-check.schema.js";
import { ArgoCdInstance, instances, PrometheusInstance } from "./instances.schema.js";
import { PromotionFile } from "./promotion-file.schema.js";
import { Wave } from "./wave.schema.js";

export { Cluster } from "./cluster.schema.js";
export { Duration } from "./common.schema.js";
export { BUILTIN_HEALTH_CHECKS, HealthCheck } from "./health-check.schema.js";
export { ArgoCdInstance, PrometheusInstance } from "./instances.schema.js";
export { PromotionFile } from "./promotion-file.schema.js";
export { Wave } from "./wave.schema.js";

const CanaryRule = z.strictObject({
  /** Globs over changed paths. */
  paths: GlobList.meta({ description: "Globs over the change's paths." }),
  /** Canary clusters when any changed path matches. */
  clusters: z.array(z.string().min(1)).min(1).meta({
    description: "Canary clusters when any changed path matches.",
  }),
});

/** The whole `.github/waves.yml`. */
export const WavesConfig = z
  .strictObject({
    /** Where changes are merged. */
    source: z
      .strictObject({
        /** Branch whose pushes start rollouts; default the repository's default branch. */
        branch: z.string().min(1).optional().meta({
          description:
            "Branch whose pushes start rollouts; default the repository's default branch.",
        }),
        /** Globs of paths that start a rollout; default every path except promotion files. */
        paths: GlobList.optional().meta({
          description:
            "Globs of changed paths that start a rollout; default every path except promotion files.",
        }),
      })
      .default({})
      .meta({
        description: "Where changes are merged: the branch and paths that start a rollout.",
      }),
    /** The GitOps repository the promotion PRs go to. */
    target: z
      .strictObject({
        /** `owner/name`; default the source repository. */
        repository: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be owner/name" })
          .optional()
          .meta({
            description: "The GitOps repository as owner/name; default the source repository.",
          }),
        /** Branch the promotion PRs merge into; default the repository's default branch. */
        branch: z.string().min(1).optional().meta({
          description: "Branch promotion PRs merge into; default the repository's default branch.",
        }),
      })
      .default({})
      .meta({ description: "The GitOps repository the promotion pull requests go to." }),
    /** Where each cluster pins the revision. */
    promotion: z
      .strictObject({
        files: z.array(PromotionFile).min(1).meta({
          description: "Files each cluster pins the revision in; every one is bumped per cluster.",
        }),
      })
      .default({
        files: [{ path: "clusters/{cluster}/kustomization.yaml", kind: "kustomize-ref" }],
      })
      .meta({ description: "Where each cluster pins the revision." }),
    /** Argo CD: one instance, or named instances picked per cluster. */
    argocd: instances(ArgoCdInstance).optional().meta({
      description: "Argo CD: one instance, or a map of named instances picked per cluster.",
    }),
    /** Prometheus: one instance, or named instances picked per cluster. */
    prometheus: instances(PrometheusInstance).optional().meta({
      description: "Prometheus: one instance, or a map of named instances picked per cluster.",
    }),
    /** Clusters by name, with labels and overrides. Optional when waves list clusters. */
    clusters: z.record(z.string().min(1), Cluster).optional().meta({
      description:
        "Clusters by name, with labels for wave selectors and per-cluster overrides. Optional when waves list their clusters.",
    }),
    /** Named custom health checks. */
    healthChecks: z.record(Name, HealthCheck).default({}).meta({
      description:
        "Named custom health checks, usable in waves next to the built-ins argocd-sync and pod-health.",
    }),
    /** Defaults for every wave. */
    defaults: z
      .strictObject({
        healthChecks: z
          .array(z.string().min(1))
          .default([...BUILTIN_HEALTH_CHECKS])
          .meta({
            description: "Checks of a wave that lists none.",
          }),
        waitTime: Duration.prefault("0s").meta({
          description: "Bake time of a wave that sets none (a duration).",
        }),
        progressDeadline: Duration.prefault("15m").meta({
          description: "How long a wave may stay pending or unknown before it fails (a duration).",
        }),
      })
      .prefault({})
      .meta({ description: "Defaults for every wave." }),
    /** The waves, in order. */
    waves: z.array(Wave).min(1).meta({ description: "The waves, in rollout order." }),
    /** What a newer merge does to a rollout in flight. */
    onNewChange: z.enum(["supersede", "queue"]).default("supersede").meta({
      description:
        "What a newer merge does to a rollout in flight: supersede it (restart at the canary) or queue behind it.",
    }),
    /** Rollback on failure. */
    rollback: z
      .strictObject({
        /** Merge the revert PR automatically. */
        autoMerge: z.boolean().default(true).meta({
          description: "Merge the revert PR automatically.",
        }),
        /** Revert every cluster the rollout touched (`rollout`) or only the failed wave's. */
        scope: z.enum(["rollout", "wave"]).default("rollout").meta({
          description:
            "Revert every cluster the rollout touched (rollout) or only the failed wave's (wave).",
        }),
      })
      .prefault({})
      .meta({ description: "What happens when a wave fails." }),
    /** Rotating canary: the first wave's clusters chosen by what the change touched. */
    canary: z
      .strictObject({
        rules: z.array(CanaryRule).default([]).meta({
          description:
            "Rules mapping changed paths to canary clusters; every matching rule adds its clusters.",
        }),
        /** Canary clusters when no rule matches; default the first wave's own clusters. */
        fallback: z.array(z.string().min(1)).optional().meta({
          description:
            "Canary clusters when no rule matches; default the first wave's own clusters.",
        }),
      })
      .optional()
      .meta({
        description:
          "Rotating canary: the first wave's clusters are chosen by what the change touched.",
      }),
  })
  .meta({ title: "gitops-waves configuration (.github/waves.yml)" });

export type WavesConfig = z.output<typeof WavesConfig>;
export type WavesConfigInput = z.input<typeof WavesConfig>;
