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

const GlobList = z.array(z.string().min(1)).min(1);

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
      "a token must never be written in the repository: store it in an environment variable and name it with tokenEnv",
  })
  .optional()
  .meta({ description: "Not allowed: name an environment variable in tokenEnv instead." });

/** One Argo CD instance. */
export const ArgoCdInstance = z
  .strictObject({
    /** Base URL of the Argo CD API server, e.g. https://argocd.example.com */
    url: EndpointUrl.meta({ description: "Base URL of the Argo CD API server." }),
    /** Environment variable that holds a read-only Argo CD API token. */
    tokenEnv: EnvName.optional(),
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
    tokenEnv: EnvName.optional(),
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
    labels: Labels.optional(),
    /** Per-cluster Argo CD settings. */
    argocd: ClusterArgoCd.optional(),
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
        min: z.number().optional(),
        max: z.number().optional(),
      })
      .refine((range) => range.min !== undefined || range.max !== undefined, {
        message: "a range needs min, max or both",
      }),
  ])
  .meta({ description: "A comparison ('< 0.01', '>= 0.95') or a range { min, max }." });

/** A custom health check. */
export const HealthCheck = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("prometheus"),
    /** PromQL; `{cluster}`, `{wave}` and `{revision}` are replaced (escaped for label values). */
    query: z.string().min(1).meta({
      description: "PromQL; {cluster}, {wave} and {revision} are replaced.",
    }),
    /** Every returned series must satisfy this. */
    condition: Threshold,
    /** What no data means. */
    onNoData: z.enum(["fail", "pass", "pending"]).default("fail").meta({
      description: "What an empty result means: fail (default), pass or pending.",
    }),
    /** How often the query runs at most. */
    interval: Duration.optional(),
    /** Consecutive failing evaluations before the check fails. */
    failureLimit: z.number().int().min(1).default(1).meta({
      description: "Consecutive failing evaluations before the check fails.",
    }),
    /** Named Prometheus instance; default the cluster's or the only one. */
    instance: Name.optional(),
  }),
  z.strictObject({
    type: z.literal("argocd-sync"),
    /** Consecutive failing evaluations before the check fails. */
    failureLimit: z.number().int().min(1).default(1),
  }),
  z.strictObject({
    type: z.literal("pod-health"),
    /** Restarts allowed per pod since the wave merged. */
    maxRestarts: z.number().int().min(0).default(0).meta({
      description: "Restarts allowed per pod since the wave merged.",
    }),
    /** Consecutive failing evaluations before the check fails. */
    failureLimit: z.number().int().min(1).default(1),
  }),
]);
export type HealthCheck = z.output<typeof HealthCheck>;

/** Who may approve a wave besides users with write permission. */
const Approvers = z.strictObject({
  /** GitHub logins. */
  users: z.array(z.string().min(1)).default([]),
  /** Teams as `org/team-slug`; membership is checked at approval time. */
  teams: z
    .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { message: "must be org/team-slug" }))
    .default([]),
});

/** One wave of the rollout. */
export const Wave = z
  .strictObject({
    /** Unique wave name, used in labels, branches and `/approve <wave>`. */
    name: Name,
    /** Clusters in this wave, by name. */
    clusters: z.array(z.string().min(1)).optional(),
    /** Clusters whose labels match all of these. */
    selector: Labels.optional(),
    /** How long every check must stay green before the wave passes. */
    waitTime: Duration.optional(),
    /** Checks to run: built-ins (`argocd-sync`, `pod-health`) or names under `healthChecks`. */
    healthChecks: z.array(z.string().min(1)).optional(),
    /** Wait for `/approve <wave>` before merging this wave's PR. */
    requireApproval: z.boolean().default(false),
    /** Who may approve besides users with write permission. */
    approvers: Approvers.optional(),
    /** Whether the change's own author may approve this wave. */
    allowSelfApproval: z.boolean().default(false),
    /** Merge the promotion PR automatically (when no approval is required). */
    autoMerge: z.boolean().default(true),
    /** How long the wave may stay pending or unknown before it fails. */
    progressDeadline: Duration.optional(),
  })
  .meta({ description: "A wave: which clusters, which checks, how long to bake." });
export type Wave = z.output<typeof Wave>;

const CanaryRule = z.strictObject({
  /** Globs over changed paths. */
  paths: GlobList,
  /** Canary clusters when any changed path matches. */
  clusters: z.array(z.string().min(1)).min(1),
});

/** The whole `.github/waves.yml`. */
export const WavesConfig = z
  .strictObject({
    /** Where changes are merged. */
    source: z
      .strictObject({
        /** Branch whose pushes start rollouts; default the repository's default branch. */
        branch: z.string().min(1).optional(),
        /** Globs of paths that start a rollout; default every path except promotion files. */
        paths: GlobList.optional(),
      })
      .default({}),
    /** The GitOps repository the promotion PRs go to. */
    target: z
      .strictObject({
        /** `owner/name`; default the source repository. */
        repository: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "must be owner/name" })
          .optional(),
        /** Branch the promotion PRs merge into; default the repository's default branch. */
        branch: z.string().min(1).optional(),
      })
      .default({}),
    /** Where each cluster pins the revision. */
    promotion: z
      .strictObject({
        files: z.array(PromotionFile).min(1),
      })
      .default({
        files: [{ path: "clusters/{cluster}/kustomization.yaml", kind: "kustomize-ref" }],
      }),
    /** Argo CD: one instance, or named instances picked per cluster. */
    argocd: instances(ArgoCdInstance).optional(),
    /** Prometheus: one instance, or named instances picked per cluster. */
    prometheus: instances(PrometheusInstance).optional(),
    /** Clusters by name, with labels and overrides. Optional when waves list clusters. */
    clusters: z.record(z.string().min(1), Cluster).optional(),
    /** Named custom health checks. */
    healthChecks: z.record(Name, HealthCheck).default({}),
    /** Defaults for every wave. */
    defaults: z
      .strictObject({
        healthChecks: z.array(z.string().min(1)).default([...BUILTIN_HEALTH_CHECKS]),
        waitTime: Duration.default(0),
        progressDeadline: Duration.default(15 * 60_000),
      })
      .default({
        healthChecks: [...BUILTIN_HEALTH_CHECKS],
        waitTime: 0,
        progressDeadline: 900_000,
      }),
    /** The waves, in order. */
    waves: z.array(Wave).min(1),
    /** What a newer merge does to a rollout in flight. */
    onNewChange: z.enum(["supersede", "queue"]).default("supersede"),
    /** Rollback on failure. */
    rollback: z
      .strictObject({
        /** Merge the revert PR automatically. */
        autoMerge: z.boolean().default(true),
        /** Revert every cluster the rollout touched (`rollout`) or only the failed wave's. */
        scope: z.enum(["rollout", "wave"]).default("rollout"),
      })
      .default({ autoMerge: true, scope: "rollout" }),
    /** Rotating canary: the first wave's clusters chosen by what the change touched. */
    canary: z
      .strictObject({
        rules: z.array(CanaryRule).default([]),
        /** Canary clusters when no rule matches; default the first wave's own clusters. */
        fallback: z.array(z.string().min(1)).optional(),
      })
      .optional(),
  })
  .meta({ title: "gitops-waves configuration (.github/waves.yml)" });

export type WavesConfig = z.output<typeof WavesConfig>;
export type WavesConfigInput = z.input<typeof WavesConfig>;
