/**
 * The demo's embedded fleet: a fake Argo CD with one application per cluster, a metrics source
 * for the `error-rate` check, and a follower that syncs the apps to what is merged.
 */

import type { WavesConfig } from "../config/waves.schema.js";
import { type FakeArgoCd, startFakeArgoCd } from "../fleet/argocd-server.js";
import { fakeApplication } from "../fleet/argocd-simulator.js";
import { createFleetFollower, type FleetFollower } from "../fleet/fleet-follower.js";
import { type MetricsServer, startMetricsServer } from "../fleet/metrics-server.js";
import { readRevision } from "../gitops/bump/index.js";
import { SAMPLE_REPO_SLUG, type SampleRepo } from "./sample-repo.js";

/** The token the embedded Argo CD demands; the config names it through `tokenEnv: ARGOCD_TOKEN`. */
export const DEMO_ARGOCD_TOKEN = "demo-argocd-token";

export interface DemoFleet {
  argocd: FakeArgoCd;
  metrics: MetricsServer;
  close(): Promise<void>;
}

export async function startDemoFleet(): Promise<DemoFleet> {
  const argocd = await startFakeArgoCd({ token: DEMO_ARGOCD_TOKEN });
  const metrics = await startMetricsServer().catch(async (error: unknown) => {
    await argocd.close();
    throw error;
  });
  return {
    argocd,
    metrics,
    close: async () => {
      await Promise.all([argocd.close(), metrics.close()]);
    },
  };
}

export const appNameOf = (cluster: string) => `payments-${cluster}`;

/** A small deterministic generator for the healthy error-rate jitter. */
function jitter(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return (state % 1000) / 1_000_000;
  };
}

/**
 * Registers every cluster's app and a follower reading the pins through the config's first
 * promotion file (the bumpers' read side). Clusters of `broken` break when pinned to `badRevision`.
 */
export function followFleet(input: {
  fleet: DemoFleet;
  repo: SampleRepo;
  config: WavesConfig;
  clock: () => Date;
  seed: number;
  broken: Set<string>;
  badRevision: () => string | undefined;
}): FleetFollower {
  const { fleet, repo, config } = input;
  for (const cluster of repo.clusters) {
    fleet.argocd.upsertApp(
      fakeApplication({
        name: appNameOf(cluster.name),
        labels: { cluster: cluster.name, env: cluster.env },
        destination: { name: cluster.name, namespace: "payments" },
        source: {
          repoURL: `https://github.com/${SAMPLE_REPO_SLUG}.git`,
          path: `clusters/${cluster.name}`,
          targetRevision: "main",
        },
      }),
    );
  }
  const rule = config.promotion.files[0]!;
  const next = jitter(input.seed);
  const healthy = Math.round((0.002 + next()) * 1e5) / 1e5;
  return createFleetFollower({
    gitDir: repo.origin,
    clusters: repo.clusters.map((c) => c.name),
    appName: appNameOf,
    argocd: fleet.argocd,
    metrics: fleet.metrics,
    clock: input.clock,
    healthyAfterMs: 45_000,
    errorRate: { healthy, broken: 0.087 },
    isBroken: (cluster, pinned) => input.broken.has(cluster) && pinned === input.badRevision(),
    pinOf: async (cluster, read) => {
      const path = rule.path.replaceAll("{cluster}", cluster);
      const content = await read(path);
      if (content === undefined) return undefined;
      return readRevision(content, rule, { cluster, path, sourceRepo: SAMPLE_REPO_SLUG });
    },
  });
}
