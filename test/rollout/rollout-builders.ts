/** Rollout states for the pure tests: PRs, metadata and checks built by name. */
import { loadConfig } from "../../src/config/load-config.js";
import type { WavesConfig } from "../../src/config/waves.schema.js";
import type { GateOutcome } from "../../src/health/types.js";
import type {
  PromotionMeta,
  RevertMeta,
  RolloutState,
  WaveState,
} from "../../src/rollout/types.js";
import type { CheckRun, PullRequest, PullRequestState } from "../../src/scm/port.js";
import { CONFIG } from "./rollout-harness.js";

export const REV = "abcdef0123456789abcdef0123456789abcdef01";
export const NEWER = "fedcba9876543210fedcba9876543210fedcba98";
export const NOW = new Date("2026-03-01T12:00:00Z");
export const WAVES = ["canary", "wave-1", "wave-2"];
const CLUSTERS: Record<string, string[]> = {
  canary: ["canary-1"],
  "wave-1": ["dev-1", "dev-2"],
  "wave-2": ["prod-1"],
};

export function config(extra = ""): WavesConfig {
  const result = loadConfig(`${CONFIG}${extra}`);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  return result.config;
}

export const source = {
  sha: REV,
  title: "Scale payments",
  author: "dana",
  url: "https://example.com/pr/9",
  pullRequest: 9,
  branch: "main",
};

export function pr(
  number: number,
  state: PullRequestState,
  labels: string[] = [],
  body = "",
): PullRequest {
  return {
    number,
    url: `https://example.com/pull/${number}`,
    state,
    title: `pr ${number}`,
    body,
    branch: `b${number}`,
    base: "main",
    headSha: `${String(number).padStart(2, "0")}`.repeat(20),
    ...(state === "merged"
      ? { mergeCommitSha: "m".repeat(0) + "9".repeat(40), mergedAt: "2026-03-01T11:00:00.000Z" }
      : {}),
    createdAt: "2026-03-01T10:00:00.000Z",
    labels,
    author: "waves[bot]",
  };
}

export function promotionMeta(
  wave: string,
  extra: Partial<PromotionMeta> = {},
  revision = REV,
): PromotionMeta {
  return {
    v: 1,
    kind: "promotion",
    rolloutId: revision.slice(0, 7),
    revision,
    source: { ...source, sha: revision },
    targetBranch: "main",
    changedPaths: ["base/app.yaml"],
    startedAt: "2026-03-01T10:00:00.000Z",
    wave,
    waveIndex: WAVES.indexOf(wave),
    waves: WAVES,
    clusters: CLUSTERS[wave] ?? [],
    files: (CLUSTERS[wave] ?? []).map((cluster) => ({
      cluster,
      path: `clusters/${cluster}/app.yaml`,
      rule: {
        path: "clusters/{cluster}/app.yaml",
        kind: "yaml" as const,
        key: "spec.source.targetRevision",
      },
      previous: "0a1b2c3",
      next: revision,
    })),
    ...extra,
  };
}

export function check(
  conclusion: CheckRun["conclusion"] | "in_progress",
  extra: Partial<CheckRun> = {},
): CheckRun {
  return {
    id: 1,
    name: "waves / x",
    headSha: "x",
    status: conclusion === "in_progress" ? "in_progress" : "completed",
    ...(conclusion === "in_progress" ? {} : { conclusion }),
    ...extra,
  };
}

export interface WaveSpec {
  name: string;
  state: PullRequestState;
  labels?: string[];
  check?: CheckRun;
  approvedBy?: string;
  signature?: string;
}

export function wave(
  spec: WaveSpec,
  number = WAVES.indexOf(spec.name) + 1,
  revision = REV,
): WaveState {
  const meta = promotionMeta(
    spec.name,
    spec.approvedBy ? { approvedBy: spec.approvedBy } : {},
    revision,
  );
  return {
    name: spec.name,
    index: WAVES.indexOf(spec.name),
    pr: pr(number, spec.state, ["waves:promotion", `waves:${spec.name}`, ...(spec.labels ?? [])]),
    meta,
    ...(spec.check ? { check: spec.check } : {}),
    ...(spec.signature ? { signature: spec.signature } : {}),
  };
}

export function revertMeta(extra: Partial<RevertMeta> = {}): RevertMeta {
  return {
    v: 1,
    kind: "revert",
    rolloutId: REV.slice(0, 7),
    revision: REV,
    source,
    targetBranch: "main",
    changedPaths: ["base/app.yaml"],
    startedAt: "2026-03-01T10:00:00.000Z",
    failedWave: "canary",
    reason: "Degraded",
    files: promotionMeta("canary").files,
    ...extra,
  };
}

export function rollout(
  waves: WaveSpec[],
  extra: Partial<RolloutState> = {},
  revision = REV,
  firstNumber = 1,
): RolloutState {
  return {
    id: revision.slice(0, 7),
    revision,
    source: { ...source, sha: revision },
    targetBranch: "main",
    changedPaths: ["base/app.yaml"],
    startedAt: revision === REV ? "2026-03-01T10:00:00.000Z" : "2026-03-01T11:30:00.000Z",
    waveNames: WAVES,
    waves: waves.map((w, i) => wave(w, firstNumber + i, revision)),
    held: false,
    superseded: false,
    ...extra,
  };
}

export function outcome(
  status: GateOutcome["status"],
  extra: Partial<GateOutcome> = {},
): GateOutcome {
  return {
    status,
    reason:
      status === "fail"
        ? "app payments: Degraded"
        : status === "pass"
          ? "green for 30m"
          : "Progressing",
    results: [
      {
        check: "argocd-sync",
        cluster: "canary-1",
        status: status === "pending" ? "pending" : status,
        reason: "r",
      },
    ],
    clock: { startedAt: "2026-03-01T11:00:00.000Z", failures: {} },
    ...extra,
  };
}
