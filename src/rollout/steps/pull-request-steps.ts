/**
 * ensurePromotionPr and ensureRevertPr: one commit per wave built on the GitOps branch's CURRENT
 * head (bumping only the revision fields, so unrelated edits survive), behind a deterministic
 * branch, opened or adopted through the port: never a second PR.
 */
import { bumpFiles } from "../../gitops/bump/bump-files.js";
import type { ClusterFile, WavePlan } from "../../plan/types.js";
import type { PullRequest } from "../../scm/port.js";
import { planOf } from "../decide.js";
import {
  promotionPrBody,
  promotionPrTitle,
  revertPrBody,
  revertPrTitle,
} from "../render-bodies.js";
import {
  type BumpedFile,
  LABEL_PROMOTION,
  LABEL_REVERT,
  MERGE_MARKER,
  type PromotionMeta,
  type PushObservation,
  promotionBranch,
  type RevertMeta,
  type RolloutState,
  revertBranch,
  shortRevision,
  waveLabel,
} from "../types.js";
import type { StepContext } from "./context.js";

export class RolloutStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RolloutStepError";
  }
}

/** Reads every file once at `ref` (a commit), for the synchronous bumpers. */
async function readAll(ctx: StepContext, ref: string, files: readonly ClusterFile[]) {
  const { target } = ctx.env;
  const paths = [...new Set(files.map((f) => f.path))];
  let contents: Map<string, string | undefined>;
  if (target.readFiles) contents = await target.readFiles(ref, paths);
  else {
    contents = new Map();
    for (const path of paths) contents.set(path, await target.readFile(ref, path));
  }
  return (path: string) => contents.get(path);
}

const sourceRepoOf = (ctx: StepContext) =>
  `${ctx.env.source.repo.owner}/${ctx.env.source.repo.name}`;

export async function ensurePromotionPr(
  ctx: StepContext,
  rollout: PushObservation & { startedAt: string },
  wave: WavePlan,
): Promise<PullRequest> {
  const { target } = ctx.env;
  const head = await target.branchHead(rollout.targetBranch);
  const read = await readAll(ctx, head, wave.files);
  const bump = bumpFiles(wave.files, rollout.revision, read, { sourceRepo: sourceRepoOf(ctx) });
  if (bump.errors.length > 0) {
    throw new RolloutStepError(
      `cannot bump wave ${wave.name}: ${bump.errors.map((e) => e.message).join("; ")}`,
    );
  }
  const plan = planOf(ctx.config, rollout);
  const files: BumpedFile[] = bump.records.map((record, i) => ({
    ...record,
    rule: (wave.files.find((f) => f.cluster === record.cluster && f.path === record.path) ??
      wave.files[i])!.rule,
  }));
  const meta: PromotionMeta = {
    v: 1,
    kind: "promotion",
    rolloutId: shortRevision(rollout.revision),
    revision: rollout.revision,
    source: rollout.source,
    targetBranch: rollout.targetBranch,
    changedPaths: rollout.changedPaths.slice(0, 1000),
    startedAt: rollout.startedAt,
    wave: wave.name,
    waveIndex: wave.index,
    waves: plan.map((w) => w.name),
    clusters: wave.clusters,
    files: files.map(({ cluster, path, rule, previous, next }) => ({
      cluster,
      path,
      rule,
      previous,
      next,
    })),
  };
  const title = promotionPrTitle(meta);
  const pr = await target.ensurePullRequest({
    branch: promotionBranch(rollout.revision, wave.name),
    base: rollout.targetBranch,
    title,
    body: await promotionPrBody(meta, wave, plan[wave.index + 1]?.name, ctx.overrides),
    labels: [LABEL_PROMOTION, waveLabel(wave.name)],
    commit: {
      message: `${title}\n\n${wave.clusters.length} cluster(s): ${wave.clusters.join(", ")}\n${MERGE_MARKER}`,
      changes: bump.changes.map(({ path, content }) => ({ path, content })),
      baseSha: head,
    },
  });
  ctx.opened.set(rollout.revision, pr);
  return pr;
}

/** The files a revert restores: every merged wave's, or only the failed wave's (`scope: wave`). */
export function filesToRevert(
  rollout: RolloutState,
  failedWave: string,
  scope: "rollout" | "wave",
): BumpedFile[] {
  return rollout.waves
    .filter((w) => w.pr.state === "merged" && (scope === "rollout" || w.name === failedWave))
    .flatMap((w) => w.meta.files);
}

export async function ensureRevertPr(
  ctx: StepContext,
  rollout: RolloutState,
  failedWave: string,
  reason: string,
): Promise<PullRequest> {
  const { target } = ctx.env;
  const files = filesToRevert(rollout, failedWave, ctx.config.rollback.scope);
  const head = await target.branchHead(rollout.targetBranch);
  const clusterFiles: ClusterFile[] = files.map(({ cluster, path, rule }) => ({
    cluster,
    path,
    rule,
  }));
  const read = await readAll(ctx, head, clusterFiles);
  const restore = new Map(files.map((f) => [`${f.cluster}\u0000${f.path}`, f.previous]));
  const bump = bumpFiles(
    clusterFiles,
    (file) => restore.get(`${file.cluster}\u0000${file.path}`) ?? "",
    read,
    { sourceRepo: sourceRepoOf(ctx) },
  );
  if (bump.errors.length > 0) {
    throw new RolloutStepError(
      `cannot build the revert: ${bump.errors.map((e) => e.message).join("; ")}`,
    );
  }
  const meta: RevertMeta = {
    v: 1,
    kind: "revert",
    rolloutId: rollout.id,
    revision: rollout.revision,
    source: rollout.source,
    targetBranch: rollout.targetBranch,
    changedPaths: rollout.changedPaths,
    startedAt: rollout.startedAt,
    failedWave,
    reason: reason.slice(0, 4000),
    files,
  };
  const title = revertPrTitle(meta);
  return target.ensurePullRequest({
    branch: revertBranch(rollout.revision),
    base: rollout.targetBranch,
    title,
    body: await revertPrBody(meta, ctx.overrides),
    labels: [LABEL_REVERT],
    commit: {
      message: `${title}\n\n${MERGE_MARKER}`,
      changes: bump.changes.map(({ path, content }) => ({ path, content })),
      baseSha: head,
    },
  });
}
