import { z } from "zod";
import { Labels, Name } from "./common.schema.js";

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
