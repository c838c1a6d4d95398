import { z } from "zod";
import { DURATION_PATTERN, parseDuration } from "./duration.js";

/** Health checks every installation has without declaring them. */
export const BUILTIN_HEALTH_CHECKS = ["argocd-sync", "pod-health"] as const;

/** A duration such as `500ms`, `90s`, `30m`, `1h30m`; parsed to milliseconds. */
export const Duration = z
  .string()
  .regex(DURATION_PATTERN, {
    message: "is not a duration: write it like 500ms, 90s, 30m, 1h30m or 2d",
  })
  .transform((text) => parseDuration(text) ?? 0)
  .meta({ description: "A duration: 500ms, 90s, 30m, 1h30m or 2d." });

const Name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, {
    message:
      "must be lower-case letters, digits, '.', '_' or '-', starting and ending alphanumeric",
  });

const GlobList = z
  .array(z.string().min(1))
  .min(1)
  .meta({ description: "Glob patterns (picomatch) over repository paths." });

const Labels = z
  .record(z.string().min(1), z.string())
  .meta({ description: "Labels as key: value pairs." });

const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be the name of an environment variable" })
  .meta({
    description: "The name of an environment variable that holds the token (never the token).",
  });

/** An HTTP(S) URL with no credentials in it: tokens go in `tokenEnv`. */
const EndpointUrl = z
  .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
  .refine(
    (url) => {
      try {
        const parsed = new URL(url);
        return parsed.username === "" && parsed.password === "";
      } catch {
        return false;
      }
    },
    {
      message:
        "must not carry credentials: put the token in an environment variable named by tokenEnv",
    },
  );

/**
 * A field that users sometimes fill with a secret by mistake. It is accepted by the parser only
 * so it can be refused with an error that says what to do instead.
 */
const InlineToken = z
  .unknown()
  .refine(() => false, {
    message:
      "must never be written in the repository: store the token in an environment variable and name it with tokenEnv",
  })
  .optional()
  .meta({ description: "Not allowed: name an environment variable in tokenEnv instead." });

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
function instances<T extends z.ZodType>(instance: T) {
  return z.union([instance, z.record(Name, instance)]);
}

/** How one cluster pins the revision: a file per cluster, found through `{cluster}`. */
export const PromotionFile = z
  .strictObject({
    /** Path template relative to the target repository root; must contain `{cluster}`. */
    path: z.string().min(1).meta({
      description: "Path relative to the repository root; must contain {cluster}.",
    }),
    /** How the revision is written in that file. */
    kind: z.enum(["yaml", "kustomize-ref", "kustomize-image"]).meta({
      description:
        "yaml: a dotted key; kustomize-ref: ?ref= of remote resources; kustomize-image: images[].newTag or digest.",
    }),
    /** For `yaml`: dotted key, with list selectors like `spec.sources[name=base].targetRevision`. */
    key: z.string().min(1).optional().meta({
      description: "For kind yaml: dotted key such as spec.sources[name=base].targetRevision.",
    }),
    /** For `kustomize-image`: the image name in `images[]`. */
    image: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "For kind kustomize-image: the image name." }),
    /** For `kustomize-image`: write `newTag` (default) or `digest`. */
    field: z.enum(["newTag", "digest"]).optional().meta({
      description: "For kind kustomize-image: newTag (default) or digest.",
    }),
    /**
     * For `kustomize-ref`: only URLs containing this text are bumped (default: the source
     * repository's `owner/name`).
     */
    match: z.string().min(1).optional().meta({
      description: "For kind kustomize-ref: only remote URLs containing this text are bumped.",
    }),
  })
  .superRefine((file, ctx) => {
    if (file.kind === "yaml" && !file.key) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "is required when kind is yaml" });
    }
    if (file.kind === "kustomize-image" && !file.image) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: "is required when kind is kustomize-image",
      });
    }
  });
export type PromotionFile = z.output<typeof PromotionFile>;

/** Per-cluster Argo CD settings. */
const ClusterArgoCd = z.strictObject({
  /** Name of the Argo CD instance (when `argocd` is a map of named instances). */
  instance: Name.optional().meta({ description: "Named Argo CD instance serving this cluster." }),
  /** Label selector for this cluster's applications; overrides the instance's. */
  appSelector: z.string().min(1).optional().meta({ description: "Label selector override." }),
  /** Select applications by destination cluster name instead of labels. */
  destinationName: z.string().min(1).optional().meta({
    description: "Select applications whose spec.destination.name is this.",
  }),
  /** Select applications by destination server URL instead of labels. */
  destinationServer: z.string().min(1).optional().meta({
    description: "Select applications whose spec.destination.server is this.",
  }),
  /** How many applications this cluster must have; fewer fails the gate. */
  expectedApps: z.number().int().min(1).optional().meta({
    description: "Minimum number of applications expected on this cluster.",
  }),
});

/** A cluster of the fleet. */
export const Cluster = z
  .strictObject({
    /** Labels that wave selectors match, e.g. `{ env: prod, region: eu }`. */
    labels: Labels.optional().meta({
      description: "Labels that wave selectors match, e.g. { env: prod, region: eu }.",
    }),
    /** Per-cluster Argo CD settings. */
    argocd: ClusterArgoCd.optional().meta({ description: "Per-cluster Argo CD settings." }),
    /** Name of the Prometheus instance (when `prometheus` is a map of named instances). */
    prometheus: Name.optional().meta({
      description: "Named Prometheus instance for this cluster.",
    }),
  })
  .meta({ description: "A cluster: labels for selectors and per-cluster overrides." });
export type Cluster = z.output<typeof Cluster>;

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
      /** PromQL; `{cluster}`, `{wave}` and `{revision}` are replaced (escaped for label values). */
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

/** Who may approve a wave besides users with write permission. */
const Approvers = z.strictObject({
  /** GitHub logins. */
  users: z
    .array(
      z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, {
        message: "must be a GitHub login, written without @",
      }),
    )
    .default([])
    .meta({ description: "GitHub logins (without @)." }),
  /** Teams as `org/team-slug`; membership is checked at approval time. */
  teams: z
    .array(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        message: "must be org/team-slug, written without @",
      }),
    )
    .default([])
    .meta({ description: "Teams as org/team-slug; membership is checked at approval time." }),
});

/** One wave of the rollout. */
export const Wave = z
  .strictObject({
    /** Unique wave name, used in labels, branches and `/approve <wave>`. */
    name: Name.meta({
      description: "Unique wave name, used in labels, branch names and /approve <wave>.",
    }),
    /** Clusters in this wave, by name. */
    clusters: z.array(z.string().min(1)).optional().meta({
      description: "Clusters in this wave, by name.",
    }),
    /** Clusters whose labels match all of these. */
    selector: Labels.optional().meta({
      description: "Adds every cluster under clusters: whose labels match all of these.",
    }),
    /** How long every check must stay green before the wave passes. */
    waitTime: Duration.optional().meta({
      description:
        "How long every check must stay green before the wave passes (a duration); default defaults.waitTime.",
    }),
    /** Checks to run: built-ins (`argocd-sync`, `pod-health`) or names under `healthChecks`. */
    healthChecks: z.array(z.string().min(1)).optional().meta({
      description:
        "Checks to run: argocd-sync, pod-health or names under healthChecks; default defaults.healthChecks.",
    }),
    /** Wait for `/approve <wave>` before merging this wave's PR. */
    requireApproval: z.boolean().default(false).meta({
      description: "Wait for /approve <wave> before merging this wave's promotion PR.",
    }),
    /** Who may approve besides users with write permission. */
    approvers: Approvers.optional().meta({
      description: "Who may approve besides users with write permission.",
    }),
    /** Whether the change's own author may approve this wave. */
    allowSelfApproval: z.boolean().default(false).meta({
      description: "Whether the change's own author may approve this wave.",
    }),
    /** Merge the promotion PR automatically (when no approval is required). */
    autoMerge: z.boolean().default(true).meta({
      description: "Merge the promotion PR automatically once it may be merged.",
    }),
    /** How long the wave may stay pending or unknown before it fails. */
    progressDeadline: Duration.optional().meta({
      description:
        "How long the wave may stay pending or unknown before it fails (a duration); default defaults.progressDeadline.",
    }),
  })
  .meta({ description: "A wave: which clusters, which checks, how long to bake." });
export type Wave = z.output<typeof Wave>;

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
