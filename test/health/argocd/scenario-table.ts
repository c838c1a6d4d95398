/** The row format of the Argo CD scenario table and the helpers rows use. */
import type { WavesConfigInput } from "../../../src/config/waves.schema.js";
import type { FakeArgoCd } from "../../../src/fleet/argocd-server.js";
import type { SyncSimulation } from "../../../src/fleet/argocd-simulator.js";
import type { Application } from "../../../src/health/argocd/argocd-types.js";
import type { PlannedCheck } from "../../../src/plan/types.js";
import {
  labelledApp,
  OLD,
  PINNED,
  podCheck,
  type RunOptions,
  SYNC_CHECK,
  SYNCED_AT,
  validated,
} from "./probe-harness.js";

export type Expected = [check: string, cluster: string, status: string, reason: string];

/** One scenario: setup on the fakes (`a` is the default instance), then the exact results. */
export interface Row {
  name: string;
  checks?: PlannedCheck[];
  clusters?: string[];
  argocd?: (a: FakeArgoCd, b: FakeArgoCd) => WavesConfigInput["argocd"];
  clusterConfig?: WavesConfigInput["clusters"];
  setup?: (a: FakeArgoCd, b: FakeArgoCd) => void;
  run?: RunOptions;
  expect: Expected[];
}

export const POD = "api-3f2c1d0e9-a0";
export const BOTH = [SYNC_CHECK, podCheck()];

/** Adds app `name` (for cluster c1 unless `app` says otherwise) and makes it look synced as `sim` says. */
export function deploy(
  fake: FakeArgoCd,
  name: string,
  sim: Partial<SyncSimulation> = {},
  app: Application = labelledApp(name, "c1"),
) {
  fake.upsertApp(app);
  fake.syncApp(name, { revision: PINNED, health: "Healthy", at: SYNCED_AT, ...sim });
  validated(fake.getApp(name)!);
}

/** A multi-source app: the GitOps repo's source on `ours`, another repo's on OLD. */
export const MULTI_SOURCES = (ours: string) => ({
  sources: [
    { repoURL: "https://github.com/acme/gitops.git", path: "apps/api", targetRevision: "main" },
    {
      repoURL: "https://github.com/acme/platform-values.git",
      targetRevision: "main",
      ref: "values",
    },
  ],
  revisions: [ours, OLD],
});
