/**
 * The demo, as a list of steps: start the embedded fleet, create the sample repository, merge a
 * change, hand the push to the REAL rollout engine, then tick — fleet follows merges, engine
 * reconciles, approvals are given — on a virtual clock until the rollout ends.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { loadConfig } from "../config/load-config.js";
import type { WavesConfig } from "../config/waves.schema.js";
import { createHealthGate } from "../health/health-gate.js";
import { planRollout } from "../plan/plan-rollout.js";
import { handlePush, type RolloutEnv, reconcile } from "../rollout/index.js";
import { silentLogger } from "../util/logger.js";
import { DemoApprovals } from "./demo-approvals.js";
import { DEMO_ARGOCD_TOKEN, followFleet, startDemoFleet } from "./demo-fleet.js";
import { DemoObserver } from "./demo-observer.js";
import { createDemoScm, DEMO_APP_LOGIN } from "./demo-scm.js";
import type { DemoHooks, DemoOptions, DemoResult, WaveView } from "./demo-types.js";
import { createSampleRepo, DEVELOPER, mergeSampleChange } from "./sample-repo.js";
import { virtualClock } from "./virtual-clock.js";

const ROLLOUT_LABELS = ["waves:promotion", "waves:revert"];
/** Give up after this much virtual time. */
const MAX_VIRTUAL_MS = 8 * 3_600_000;

async function loadSampleConfig(work: string): Promise<WavesConfig> {
  const file = ".github/waves.yml";
  const result = loadConfig(await readFile(join(work, file), "utf8"), file);
  if (!result.ok) {
    throw new Error(`the sample configuration is invalid: ${result.errors[0]?.message ?? "?"}`);
  }
  return result.config;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDemo(options: DemoOptions, hooks: DemoHooks = {}): Promise<DemoResult> {
  const realStart = performance.now();
  const clock = virtualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const fleet = await startDemoFleet();
  let createdRoot: string | undefined;
  try {
    const repo = await createSampleRepo({
      ...(options.dir ? { dir: options.dir } : {}),
      clusters: options.clusters,
      argocdUrl: fleet.argocd.url,
      prometheusUrl: fleet.metrics.url,
    });
    createdRoot = repo.root;
    hooks.onRepoCreated?.(repo.root);
    const config = await loadSampleConfig(repo.work);
    const plan = planRollout(config, {
      revision: "0".repeat(40),
      changedPaths: ["base/deployment.yaml"],
    });
    const brokenWave = plan.waves.find((wave) => wave.name === options.breakWave);
    let badRevision: string | undefined;
    const follower = followFleet({
      fleet,
      repo,
      config,
      clock: clock.now,
      seed: options.seed,
      broken: new Set(brokenWave?.clusters ?? []),
      badRevision: () => badRevision,
    });
    const seeded = await follower.tick();

    const scm = createDemoScm(repo, clock.now);
    let observer: DemoObserver | undefined;
    const gateEnv = { ARGOCD_TOKEN: DEMO_ARGOCD_TOKEN };
    const env: RolloutEnv = {
      source: scm,
      target: scm,
      healthGate: (cfg) => {
        const gate = createHealthGate({ config: cfg, env: gateEnv, logger: silentLogger });
        return async (input) => {
          const outcome = await gate(input);
          // PRs first, so the log reads "opened, merged, gate" in the order things happened.
          observer?.observePullRequests(await scm.findRolloutPrs(ROLLOUT_LABELS, 30));
          observer?.observeGate(input.wave.name, outcome);
          return outcome;
        };
      },
      now: clock.now,
      logger: silentLogger,
      appLogin: DEMO_APP_LOGIN,
    };

    const change = await mergeSampleChange(repo);
    badRevision = change.revision;
    const startedAt = clock.now();
    observer = new DemoObserver(
      clock.now,
      startedAt,
      change.revision,
      repo.initialRevision,
      plan.waves.map((wave) => ({
        name: wave.name,
        clusters: wave.clusters,
        waitTimeMs: wave.waitTimeMs,
      })),
      hooks.onEvent,
    );
    observer.observeFleet(seeded, true);
    observer.emit(
      "change-merged",
      `${DEVELOPER.name} merged ${change.revision.slice(0, 7)} to main (${change.changedPaths.join(", ")}); ${repo.clusters.length} clusters run ${repo.initialRevision.slice(0, 7)}`,
    );
    await handlePush(env, {
      revision: change.revision,
      branch: "main",
      defaultBranch: "main",
      changedPaths: change.changedPaths,
      pusher: DEVELOPER.name,
      headCommitMessage: "payments-api: raise replicas to 4 and ship 1.5.0",
    });

    const approvals = new DemoApprovals(env, scm, observer, hooks.ask);
    let outcome: DemoResult["outcome"] = "stuck";
    let reason = `no end after ${MAX_VIRTUAL_MS / 3_600_000}h of rollout time`;
    while (clock.now().getTime() - startedAt.getTime() < MAX_VIRTUAL_MS) {
      const tickStarted = performance.now();
      observer.observeFleet(await follower.tick());
      const report = await reconcile(env);
      observer.observePullRequests(await scm.findRolloutPrs(ROLLOUT_LABELS, 30));
      await approvals.tick(clock.now());
      hooks.onFrame?.(observer.snapshot());
      const settled = follower
        .states()
        .every((state) => state.health !== "Progressing" && state.pinned !== badRevision);
      const ended = endOf(observer, report.active, settled);
      if (ended) {
        outcome = ended.outcome;
        reason = ended.reason;
        break;
      }
      clock.advance(options.speed * options.tickMs);
      await sleep(Math.max(0, options.tickMs - (performance.now() - tickStarted)));
    }
    observer.emit(outcome, reason);
    hooks.onFrame?.(observer.snapshot());
    const expected = options.breakWave ? outcome === "halted" : outcome === "done";
    return {
      outcome,
      expected,
      reason,
      revision: change.revision,
      previousRevision: repo.initialRevision,
      repoRoot: repo.root,
      originDir: repo.origin,
      snapshot: observer.snapshot(),
      events: observer.events,
      realMs: performance.now() - realStart,
    };
  } catch (error) {
    if (createdRoot && !options.keep) await rm(createdRoot, { recursive: true, force: true });
    throw error;
  } finally {
    await fleet.close();
  }
}

/** Whether the rollout has ended, and how. */
function endOf(
  observer: DemoObserver,
  active: boolean,
  fleetSettled: boolean,
): { outcome: DemoResult["outcome"]; reason: string } | undefined {
  const snapshot = observer.snapshot();
  if (snapshot.revert?.mergedAt) {
    // Keep ticking until Argo CD has synced every cluster back: that is what the revert is for.
    if (!fleetSettled) return undefined;
    const failed = snapshot.waves.find((wave) => wave.phase === "failed");
    const why = failed ? `wave ${failed.name} failed (${firstFailure(failed)})` : "rolled back";
    return {
      outcome: "halted",
      reason: `${why}; revert PR #${snapshot.revert.pr} put every cluster back on ${observer.previousRevision.slice(0, 7)}`,
    };
  }
  const last = snapshot.waves.at(-1);
  if (last?.phase === "passed" && snapshot.waves.every((wave) => wave.phase === "passed")) {
    return { outcome: "done", reason: "every wave passed its gate; every cluster runs the change" };
  }
  if (!active && snapshot.waves.some((wave) => wave.phase !== "waiting")) {
    return {
      outcome: "stuck",
      reason: "the engine reports no active rollout, but it did not finish",
    };
  }
  return undefined;
}

/** The first failing check of a wave, as one line. */
function firstFailure(wave: WaveView): string {
  for (const [cluster, checks] of Object.entries(wave.checks)) {
    for (const [check, cell] of Object.entries(checks)) {
      if (cell.status === "fail") return `${check} on ${cluster}: ${cell.reason}`;
    }
  }
  return wave.gateReason ?? "gate failed";
}
