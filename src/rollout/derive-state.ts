/**
 * The truth, read back: rollout PRs (open and recently closed, with their hidden metadata) grouped
 * per revision, and for the newest rollout the check runs that hold its bake clock and progress.
 */
import type { CheckRun, PullRequest, ScmPort } from "../scm/port.js";
import type { Logger } from "../util/logger.js";
import { decodeGate, decodeSignature, decodeState } from "./state-codec.js";
import {
  LABEL_HELD,
  LABEL_PROMOTION,
  LABEL_REVERT,
  LABEL_SUPERSEDED,
  type PromotionMeta,
  type RevertMeta,
  ROLLOUT_CHECK,
  type RolloutState,
  type WaveState,
  waveCheckName,
} from "./types.js";

/** How far back closed rollout PRs are read (a wave may bake long after its merge). */
export const LOOKBACK_DAYS = 14;

const rank = (pr: PullRequest) => (pr.state === "merged" ? 2 : pr.state === "open" ? 1 : 0);

/** Keeps the PR that counts when a branch had several (merged beats open beats closed). */
function better(a: PullRequest, b: PullRequest): PullRequest {
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  return a.number > b.number ? a : b;
}

/** Groups rollout PRs by revision; oldest rollout first. Pure. */
export function groupRollouts(prs: readonly PullRequest[], logger?: Logger): RolloutState[] {
  const byRevision = new Map<
    string,
    {
      waves: Map<number, { pr: PullRequest; meta: PromotionMeta }>;
      reverts: { pr: PullRequest; meta: RevertMeta }[];
      prs: PullRequest[];
    }
  >();
  for (const pr of prs) {
    const meta = decodeState(pr.body, logger, { pr: pr.number });
    if (!meta) continue;
    const labelled =
      meta.kind === "promotion"
        ? pr.labels.includes(LABEL_PROMOTION)
        : pr.labels.includes(LABEL_REVERT);
    if (!labelled) continue;
    let group = byRevision.get(meta.revision);
    if (!group) {
      group = { waves: new Map(), reverts: [], prs: [] };
      byRevision.set(meta.revision, group);
    }
    group.prs.push(pr);
    if (meta.kind === "promotion") {
      const seen = group.waves.get(meta.waveIndex);
      if (!seen || better(seen.pr, pr) === pr) group.waves.set(meta.waveIndex, { pr, meta });
    } else {
      group.reverts.push({ pr, meta });
    }
  }
  const rollouts: RolloutState[] = [];
  for (const [revision, group] of byRevision) {
    const waves: WaveState[] = [...group.waves.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, { pr, meta }]) => ({ name: meta.wave, index, pr, meta }));
    const revert = group.reverts.reduce<{ pr: PullRequest; meta: RevertMeta } | undefined>(
      (best, item) => (!best || better(best.pr, item.pr) === item.pr ? item : best),
      undefined,
    );
    const first = waves[0]?.meta ?? revert?.meta;
    if (!first) continue;
    const latest = waves.at(-1)?.meta;
    rollouts.push({
      id: first.rolloutId,
      revision,
      source: first.source,
      targetBranch: first.targetBranch,
      changedPaths: first.changedPaths,
      startedAt: first.startedAt,
      waveNames: latest?.waves ?? [revert?.meta.failedWave ?? "canary"],
      waves,
      ...(revert ? { revert } : {}),
      held: group.prs.some((pr) => pr.state !== "closed" && pr.labels.includes(LABEL_HELD)),
      superseded: group.prs.some((pr) => pr.labels.includes(LABEL_SUPERSEDED)),
    });
  }
  return rollouts.sort(
    (a, b) =>
      Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
      Math.min(...prNumbers(a)) - Math.min(...prNumbers(b)),
  );
}

function prNumbers(rollout: RolloutState): number[] {
  const numbers = rollout.waves.map((w) => w.pr.number);
  if (rollout.revert) numbers.push(rollout.revert.pr.number);
  return numbers.length > 0 ? numbers : [0];
}

/** Reads the newest wave's check run (and its bake clock) and the overall check. */
export async function readChecks(
  rollout: RolloutState,
  target: ScmPort,
  source: ScmPort,
  logger?: Logger,
): Promise<RolloutState> {
  const last = rollout.waves.at(-1);
  let waves = rollout.waves;
  if (last) {
    const check = await target.findCheckRun(waveCheckName(last.name), last.pr.headSha);
    const clock = check ? decodeGate(check.text, logger, { wave: last.name }) : undefined;
    const signature = decodeSignature(check?.text);
    waves = [
      ...rollout.waves.slice(0, -1),
      {
        ...last,
        ...(check ? { check } : {}),
        ...(clock ? { clock } : {}),
        ...(signature ? { signature } : {}),
      },
    ];
  }
  const rolloutCheck: CheckRun | undefined = await source.findCheckRun(
    ROLLOUT_CHECK,
    rollout.revision,
  );
  return { ...rollout, waves, ...(rolloutCheck ? { rolloutCheck } : {}) };
}

/** Every rollout GitHub shows, oldest first; the newest with its checks. */
export async function deriveState(
  target: ScmPort,
  source: ScmPort,
  logger?: Logger,
): Promise<RolloutState[]> {
  const prs = await target.findRolloutPrs([LABEL_PROMOTION, LABEL_REVERT], LOOKBACK_DAYS);
  const rollouts = groupRollouts(prs, logger);
  const newest = rollouts.at(-1);
  if (newest) rollouts[rollouts.length - 1] = await readChecks(newest, target, source, logger);
  return rollouts;
}
