import { z } from "zod";
import { Duration, Labels, Name } from "./common.schema.js";

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
