/**
 * A GitOps repository in a temp folder (real git), LocalScm over it, a fake health gate whose
 * verdict per wave the test sets, and an injected clock. Source and target are the same repo,
 * as in the demo.
 */
import { join } from "node:path";
import { newGateClock } from "../../src/health/evaluate-wave.js";
import type { HealthGate } from "../../src/health/health-gate.js";
import type { GateOutcome } from "../../src/health/types.js";
import type { PushInput, RolloutEnv } from "../../src/rollout/index.js";
import { LocalScm } from "../../src/scm/local/local-scm.js";
import type { Permission } from "../../src/scm/port.js";
import { capturingLogger } from "../../src/util/logger.js";
import {
  commitToBare,
  createBareRepo,
  makeTempDir,
  removeDir,
  showFile,
} from "../support/git-repo.js";

export const OLD = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

export const CONFIG = `promotion:
  files:
    - path: clusters/{cluster}/app.yaml
      kind: yaml
      key: spec.source.targetRevision
source:
  paths: ["base/**"]
waves:
  - name: canary
    clusters: [canary-1]
    waitTime: 30m
  - name: wave-1
    clusters: [dev-1, dev-2]
    waitTime: 1h
  - name: wave-2
    clusters: [prod-1]
    waitTime: 2h
    requireApproval: true
    approvers: { users: [carol], teams: [acme/leads] }
`;

export const CLUSTERS = ["canary-1", "dev-1", "dev-2", "prod-1"];

export const appFile = (cluster: string, revision: string) =>
  `# ${cluster} pins the base it runs
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments-${cluster}
spec:
  source:
    repoURL: https://example.com/acme/fleet.git
    path: base
    targetRevision: ${revision} # bumped by waves
`;

export type Health = "healthy" | "unhealthy" | "progressing";

export interface Harness {
  root: string;
  gitDir: string;
  scm: LocalScm;
  env: RolloutEnv;
  logger: ReturnType<typeof capturingLogger>;
  now: Date;
  advance(ms: number): void;
  /** Health per wave (default healthy). */
  health: Map<string, Health>;
  gateCalls: { wave: string; at: string; clockStart: string }[];
  /** A developer's change merged to main; returns the push to hand to the engine. */
  mergeChange(files: Record<string, string>, message?: string): PushInput;
  pinned(cluster: string): string | undefined;
  newScm(): LocalScm;
  close(): Promise<void>;
}

export async function createHarness(
  options: { config?: string; stateFile?: boolean; permissions?: Record<string, Permission> } = {},
): Promise<Harness> {
  const root = await makeTempDir("waves-rollout-");
  const files: Record<string, string> = {
    ".github/waves.yml": options.config ?? CONFIG,
    "base/app.yaml": "replicas: 1\n",
  };
  for (const cluster of CLUSTERS) files[`clusters/${cluster}/app.yaml`] = appFile(cluster, OLD);
  const repo = createBareRepo(root, "fleet", files);
  const logger = capturingLogger();
  const health = new Map<string, Health>();
  const gateCalls: Harness["gateCalls"] = [];
  const stateFile = options.stateFile ? join(root, "scm-state.json") : undefined;
  const h = {} as Harness;
  const newScm = () =>
    new LocalScm({
      gitDir: repo.path,
      repo: { owner: "acme", name: "fleet" },
      clock: () => h.now,
      appLogin: "waves[bot]",
      permissions: { alice: "write", mallory: "read", dana: "write", ...options.permissions },
      teams: { "acme/leads": ["lee"] },
      ...(stateFile ? { stateFile } : {}),
    });
  const scm = newScm();
  const gate: HealthGate = async (input) => {
    const clock = input.clock ?? newGateClock(input.mergedAt ?? input.now);
    gateCalls.push({
      wave: input.wave.name,
      at: input.now.toISOString(),
      clockStart: clock.startedAt,
    });
    const state = health.get(input.wave.name) ?? "healthy";
    const results = input.wave.clusters.map((cluster) => ({
      check: "argocd-sync",
      cluster,
      status:
        state === "healthy"
          ? ("pass" as const)
          : state === "unhealthy"
            ? ("fail" as const)
            : ("pending" as const),
      reason:
        state === "healthy"
          ? "Synced and Healthy"
          : state === "unhealthy"
            ? "app payments: Degraded (CrashLoopBackOff)"
            : "Progressing",
    }));
    if (state === "unhealthy") {
      return {
        status: "fail",
        reason: "app payments: Degraded (CrashLoopBackOff)",
        results,
        clock: { ...clock, greenSince: undefined },
      } as GateOutcome;
    }
    if (state === "progressing") {
      const deadline = Date.parse(clock.startedAt) + input.wave.progressDeadlineMs;
      if (input.now.getTime() >= deadline) {
        return { status: "fail", reason: "not healthy within 15m", results, clock, timedOut: true };
      }
      return { status: "pending", reason: "Progressing", results, clock };
    }
    const greenSince = clock.greenSince ?? input.now.toISOString();
    const left = Date.parse(greenSince) + input.wave.waitTimeMs - input.now.getTime();
    const next = { ...clock, greenSince };
    if (left <= 0)
      return {
        status: "pass",
        reason: "all checks green for the bake time",
        results,
        clock: next,
        remainingMs: 0,
      };
    return {
      status: "pending",
      reason: `green, ${Math.ceil(left / 60_000)}m of bake left`,
      results,
      clock: next,
      remainingMs: left,
    };
  };
  Object.assign(h, {
    root,
    gitDir: repo.path,
    scm,
    logger,
    now: new Date("2026-03-01T10:00:00Z"),
    health,
    gateCalls,
    advance(ms: number) {
      h.now = new Date(h.now.getTime() + ms);
    },
    mergeChange(changes: Record<string, string>, message = "Scale payments"): PushInput {
      const revision = commitToBare(repo.path, "main", changes, message);
      return {
        revision,
        branch: "main",
        defaultBranch: "main",
        changedPaths: Object.keys(changes),
        pusher: "dana",
        headCommitMessage: message,
      };
    },
    pinned: (cluster: string) => showFile(repo.path, "main", `clusters/${cluster}/app.yaml`),
    newScm,
    close: () => removeDir(root),
  });
  h.env = {
    source: scm,
    target: scm,
    healthGate: () => gate,
    now: () => h.now,
    logger,
    appLogin: "waves[bot]",
  };
  return h;
}
