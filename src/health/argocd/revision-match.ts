/**
 * Is an Argo CD application on the wave's revision? Updated means `status.sync.revision` (or,
 * for multi-source apps, every `revisions[]` entry of a source from the GitOps repository) is
 * the pinned revision, the promotion's merge commit, or a descendant of that merge commit.
 */
import type { Application } from "./argocd-types.js";

export interface RevisionGoal {
  /** The revision the wave's clusters pin. */
  revision: string;
  /** The promotion's merge commit in the GitOps repository. */
  mergeCommitSha?: string;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

export type RevisionMatcher = (revision: string) => Promise<boolean>;

const HEX = /^[0-9a-f]+$/i;

/** Equal ignoring case, or one a ≥7-character abbreviation of the other commit SHA. */
export function sameRevision(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (!HEX.test(x) || !HEX.test(y) || Math.min(x.length, y.length) < 7) return false;
  return x.startsWith(y) || y.startsWith(x);
}

/** A matcher with the ancestry answers cached, so each distinct revision costs one git lookup. */
export function createRevisionMatcher(goal: RevisionGoal): RevisionMatcher {
  const cache = new Map<string, Promise<boolean>>();
  return (revision) => {
    if (!revision) return Promise.resolve(false);
    if (sameRevision(revision, goal.revision)) return Promise.resolve(true);
    const merge = goal.mergeCommitSha;
    if (!merge) return Promise.resolve(false);
    if (sameRevision(revision, merge)) return Promise.resolve(true);
    let answer = cache.get(revision);
    if (!answer) {
      // An unknown commit (not fetched yet) is "not updated": pending, never pass.
      answer = goal.isAncestor(merge, revision).catch(() => false);
      cache.set(revision, answer);
    }
    return answer;
  };
}

/** Whether a repoURL points at one of the `owner/name` repositories. */
export function isRepo(repoUrl: string | undefined, repos: readonly string[]): boolean {
  if (!repoUrl) return false;
  const url = repoUrl
    .toLowerCase()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
  return repos.some((repo) => {
    const slug = repo.toLowerCase();
    return url.endsWith(`/${slug}`) || url.endsWith(`:${slug}`) || url === slug;
  });
}

export interface RevisionState {
  updated: boolean;
  /** What the app is on now, for reasons (the first relevant revision, or ""). */
  current: string;
}

/** Whether the app's synced revision(s) are the wave's. */
export async function appRevisionState(
  app: Application,
  matches: RevisionMatcher,
  repos: readonly string[],
): Promise<RevisionState> {
  const sync = app.status?.sync;
  const sources = app.spec?.sources;
  if (!sources || sources.length === 0) {
    const current = sync?.revision ?? "";
    return { updated: await matches(current), current };
  }
  const revisions = sync?.revisions ?? [];
  const ours = sources
    .map((source, index) => ({ source, revision: revisions[index] ?? "" }))
    .filter(({ source }) => isRepo(source.repoURL, repos));
  if (ours.length > 0) {
    const results = await Promise.all(ours.map(({ revision }) => matches(revision)));
    const lagging = ours.find((_, index) => !results[index]);
    return { updated: !lagging, current: (lagging ?? ours[0])?.revision ?? "" };
  }
  // Which source is ours is unknown: one source on the wave's revision is enough.
  const results = await Promise.all(revisions.map((revision) => matches(revision)));
  const hit = results.indexOf(true);
  return { updated: hit >= 0, current: revisions[Math.max(hit, 0)] ?? "" };
}

/** The revision(s) an operation was for: the sync result's, else the requested ones. */
export function operationRevisions(app: Application): string[] {
  const op = app.status?.operationState;
  if (!op) return [];
  const result = op.syncResult;
  const requested = op.operation?.sync;
  const list = [...(result?.revision ? [result.revision] : []), ...(result?.revisions ?? [])];
  if (list.length > 0) return list;
  return [...(requested?.revision ? [requested.revision] : []), ...(requested?.revisions ?? [])];
}

export function shortRevision(revision: string): string {
  return HEX.test(revision) && revision.length > 7 ? revision.slice(0, 7) : revision;
}
