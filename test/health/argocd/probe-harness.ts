/** Named helpers for driving the Argo CD probe against the fake server in tests. */
import { Application as ArgoApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { WavesConfig, type WavesConfigInput } from "../../../src/config/waves.schema.js";
import type { FakeArgoCd } from "../../../src/fleet/argocd-server.js";
import { type FakeAppSpec, fakeApplication } from "../../../src/fleet/argocd-simulator.js";
import { createArgoCdProbe } from "../../../src/health/argocd/argocd-probe.js";
import type { Application } from "../../../src/health/argocd/argocd-types.js";
import type { GateClock, ProbeContext } from "../../../src/health/types.js";
import type { PlannedCheck, WavePlan } from "../../../src/plan/types.js";
import { CallLedger } from "../../../src/util/outward-calls.js";

export const TOKEN = "argocd-test-token-5up3r-s3cret";
export const ENV = { ARGOCD_TOKEN: TOKEN, EU_TOKEN: TOKEN };

/** The revision the wave pins (a source-repo commit). */
export const PINNED = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
/** The promotion PR's merge commit in the GitOps repo. */
export const MERGE = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b";
/** A later GitOps commit on top of MERGE. */
export const CHILD = "c0ffee1234567890abcdef1234567890abcdef12";
/** The revision clusters ran before the wave. */
export const OLD = "0123456789abcdef0123456789abcdef01234567";

export const MERGED_AT = new Date("2026-01-01T10:00:00Z");
export const SYNCED_AT = new Date("2026-01-01T10:05:00Z");
export const NOW = new Date("2026-01-01T10:10:00Z");

export const SYNC_CHECK: PlannedCheck = {
  name: "argocd-sync",
  spec: { type: "argocd-sync", failureLimit: 1 },
};
export function podCheck(maxRestarts = 0): PlannedCheck {
  return { name: "pod-health", spec: { type: "pod-health", maxRestarts, failureLimit: 1 } };
}

export function wavePlan(clusters: string[], checks: PlannedCheck[]): WavePlan {
  return {
    name: "canary",
    index: 0,
    clusters,
    files: [],
    checks,
    waitTimeMs: 0,
    progressDeadlineMs: 900_000,
    requireApproval: false,
    autoMerge: true,
    approvers: { users: [], teams: [] },
    allowSelfApproval: false,
  };
}

/** A config for the given Argo CD section and clusters; waves list the clusters. */
export function config(
  argocd: WavesConfigInput["argocd"],
  clusters: string[],
  extra: Partial<WavesConfigInput> = {},
): WavesConfig {
  return WavesConfig.parse({
    argocd,
    waves: [{ name: "canary", clusters }],
    ...extra,
  });
}

/** An app labelled for a cluster, validated against Argo CD's CRD schema before it is served. */
export function labelledApp(
  name: string,
  cluster: string,
  more: Partial<FakeAppSpec> = {},
): Application {
  return validated(fakeApplication({ name, labels: { cluster }, ...more }));
}

export function validated(app: Application): Application {
  new ArgoApplication(app as never).validate();
  return app;
}

export interface RunOptions {
  clock?: Partial<GateClock>;
  mergeCommitSha?: string;
  timeoutMs?: number;
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  gitopsRepos?: string[];
  ledger?: CallLedger;
}

/** Runs the probe once for a wave, with MERGE → CHILD as the only ancestry git knows. */
export async function runProbe(
  cfg: WavesConfig,
  clusters: string[],
  checks: PlannedCheck[],
  run: RunOptions = {},
) {
  const ledger = run.ledger ?? new CallLedger();
  const probe = createArgoCdProbe({
    config: cfg,
    env: run.env ?? ENV,
    timeoutMs: run.timeoutMs ?? 2_000,
    backoffMs: 1,
    ledger,
    ...(run.concurrency ? { concurrency: run.concurrency } : {}),
    ...(run.gitopsRepos ? { gitopsRepos: run.gitopsRepos } : {}),
  });
  const ctx: ProbeContext = {
    wave: wavePlan(clusters, checks),
    revision: PINNED,
    mergeCommitSha: run.mergeCommitSha ?? MERGE,
    mergedAt: MERGED_AT.toISOString(),
    now: NOW,
    clock: { startedAt: MERGED_AT.toISOString(), failures: {}, ...run.clock },
    isAncestor: async (ancestor, descendant) =>
      ancestor === descendant || (ancestor === MERGE && descendant === CHILD),
  };
  const outcome = await probe.run(ctx, checks);
  return { ...outcome, ledger };
}

export function singleInstance(fake: FakeArgoCd, extra: Record<string, unknown> = {}) {
  return { url: fake.url, tokenEnv: "ARGOCD_TOKEN", ...extra };
}
