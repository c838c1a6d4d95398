/**
 * Pruning of the cache's tracking refs. Every promotion pushes `waves/<sha7>/<wave>` and git
 * keeps `refs/remotes/origin/<branch>` for good (also once the branch is deleted upstream):
 * thousands a year, slowing ref listing and fetch negotiation and keeping their objects from gc.
 * A pruned branch costs one fetch if it is ever read or pushed again.
 */
import { stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RepoGit } from "./workspace-git.js";

const TRACKING = "refs/remotes/origin/";
const DAY_MS = 24 * 60 * 60 * 1000;

/** A rollout can bake for days: refs whose commit is younger than this stay. */
export const TRACKING_RETENTION_MS = 14 * DAY_MS;
/** Prune after this many pushes by this process, or ... */
export const PRUNE_EVERY_PUSHES = 50;
/** ... when the last prune of the cached clone (by any process) is this old. */
export const PRUNE_EVERY_MS = DAY_MS;

/**
 * At most this many deletions per prune (git locks each ref: ~1 ms apiece), so a year's backlog
 * drains over a few turns instead of stalling one promotion for seconds.
 */
export const PRUNE_MAX_REFS = 1_000;

/** In the bare clone's directory: its mtime is when the clone was last pruned. */
const STAMP_FILE = "waves-refs-pruned";

export interface TrackingRef {
  ref: string;
  branch: string;
  sha: string;
  /** Committer date in ms; undefined when the ref does not point at a commit. */
  committedAt: number | undefined;
}

/** `git for-each-ref` format parsed by `parseTrackingRefs`. */
export const TRACKING_REF_FORMAT = "%(objectname) %(committerdate:unix) %(refname) %(symref)";

/** Parses a `TRACKING_REF_FORMAT` listing; symbolic refs (origin/HEAD) are left out. */
export function parseTrackingRefs(listing: string): TrackingRef[] {
  const refs: TrackingRef[] = [];
  for (const line of listing.split("\n")) {
    const [sha, date, ref, symref] = line.split(" ");
    if (!sha || !ref?.startsWith(TRACKING) || symref) continue;
    const seconds = Number(date);
    refs.push({
      ref,
      branch: ref.slice(TRACKING.length),
      sha,
      committedAt: date && Number.isFinite(seconds) ? seconds * 1000 : undefined,
    });
  }
  return refs;
}

export interface PruneKeep {
  now: number;
  retentionMs: number;
  /** The default branch (the clone's HEAD): kept whatever its age. */
  defaultBranch: string | undefined;
  /** When this process last fetched or pushed each branch (bases are fetched by every commit). */
  fetchedAt: ReadonlyMap<string, number>;
}

/**
 * The refs to delete, oldest first and at most `limit`: not the default branch, not fetched
 * recently, commit older than the retention.
 */
export function refsToPrune(
  refs: readonly TrackingRef[],
  keep: PruneKeep,
  limit = PRUNE_MAX_REFS,
): TrackingRef[] {
  const since = keep.now - keep.retentionMs;
  const old = (r: TrackingRef): r is TrackingRef & { committedAt: number } =>
    r.branch !== "HEAD" &&
    r.branch !== keep.defaultBranch &&
    r.committedAt !== undefined &&
    r.committedAt < since &&
    (keep.fetchedAt.get(r.branch) ?? Number.NEGATIVE_INFINITY) < since;
  return refs
    .filter(old)
    .sort((a, b) => a.committedAt - b.committedAt)
    .slice(0, limit);
}

/** Whether a prune is due after a push. */
export function pruneDue(pushes: number, lastPrunedAt: number, now: number): boolean {
  return pushes >= PRUNE_EVERY_PUSHES || now - lastPrunedAt >= PRUNE_EVERY_MS;
}

/**
 * Runs the prune now and then; the caller runs it on the repository's serial queue. Never
 * throws: a failed prune is logged and waits for the next turn.
 */
export class TrackingRefPruner {
  private pushes = 0;
  private lastPrunedAt: number | undefined;

  constructor(
    private readonly git: RepoGit,
    private readonly clock: () => Date,
    private readonly retentionMs = TRACKING_RETENTION_MS,
  ) {}

  /** Counts a push and prunes when due; returns the refs deleted. */
  async afterPush(fetchedAt: ReadonlyMap<string, number>): Promise<TrackingRef[]> {
    const log = this.git.options.logger;
    const remote = this.git.remote.display;
    try {
      this.pushes += 1;
      const now = this.clock().getTime();
      this.lastPrunedAt ??= await this.readStamp(now);
      if (!pruneDue(this.pushes, this.lastPrunedAt, now)) return [];
      this.pushes = 0;
      this.lastPrunedAt = now;
      await this.writeStamp(now);
      const started = performance.now();
      const refs = parseTrackingRefs(
        await this.git.text(["for-each-ref", `--format=${TRACKING_REF_FORMAT}`, TRACKING], "read"),
      );
      const doomed = refsToPrune(refs, {
        now,
        retentionMs: this.retentionMs,
        defaultBranch: await this.defaultBranch(),
        fetchedAt,
      });
      if (doomed.length > 0) {
        // One transaction: if another process sharing the cache moved a ref, nothing is deleted.
        const input = doomed.map((r) => `delete ${r.ref} ${r.sha}\n`).join("");
        await this.git.local(["update-ref", "--no-deref", "--stdin"], "read", { input });
      }
      log.info(
        {
          remote,
          deleted: doomed.length,
          kept: refs.length - doomed.length,
          ms: Math.round(performance.now() - started),
        },
        "pruned tracking refs",
      );
      return doomed;
    } catch (error) {
      log.warn(
        { remote, error: error instanceof Error ? error.message : String(error) },
        "pruning tracking refs failed",
      );
      return [];
    }
  }

  private async defaultBranch(): Promise<string | undefined> {
    const head = await this.git.local(["symbolic-ref", "--quiet", "HEAD"], "read", {
      okCodes: [0, 1],
    });
    const ref = head.stdout.toString("utf8").trim();
    return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  }

  /** When the clone was last pruned; a clone never pruned starts its day now. */
  private async readStamp(now: number): Promise<number> {
    try {
      return (await stat(join(this.git.options.dir, STAMP_FILE))).mtimeMs;
    } catch {
      await this.writeStamp(now);
      return now;
    }
  }

  private async writeStamp(now: number): Promise<void> {
    const path = join(this.git.options.dir, STAMP_FILE);
    await writeFile(path, "");
    await utimes(path, now / 1000, now / 1000);
  }
}
