/**
 * What the adapter remembers between events in one process, to save REST calls: labels known to
 * exist and check-run ids by name and commit. Losing it (a restart) only costs a lookup.
 */
export class GitHubScmCache {
  private readonly labels = new Map<string, Set<string>>();
  private readonly checkRuns = new Map<string, number>();
  private readonly etags = new Map<string, { etag: string; data: unknown; hasNext: boolean }>();

  constructor(private readonly maxCheckRuns = 5_000) {}

  hasLabel(repoKey: string, label: string): boolean {
    return this.labels.get(repoKey)?.has(label) ?? false;
  }

  addLabel(repoKey: string, label: string): void {
    let set = this.labels.get(repoKey);
    if (!set) {
      set = new Set();
      this.labels.set(repoKey, set);
    }
    set.add(label);
  }

  checkRunId(repoKey: string, name: string, headSha: string): number | undefined {
    return this.checkRuns.get(`${repoKey}\n${name}\n${headSha}`);
  }

  rememberCheckRun(repoKey: string, name: string, headSha: string, id: number): void {
    const key = `${repoKey}\n${name}\n${headSha}`;
    this.checkRuns.delete(key);
    this.checkRuns.set(key, id);
    if (this.checkRuns.size > this.maxCheckRuns) {
      const oldest = this.checkRuns.keys().next().value;
      if (oldest !== undefined) this.checkRuns.delete(oldest);
    }
  }

  /** A listing page remembered with its ETag, for `If-None-Match`. */
  conditional<T>(key: string): { etag: string; data: T; hasNext: boolean } | undefined {
    return this.etags.get(key) as { etag: string; data: T; hasNext: boolean } | undefined;
  }

  rememberConditional(key: string, entry: { etag: string; data: unknown; hasNext: boolean }): void {
    this.etags.delete(key);
    this.etags.set(key, entry);
    if (this.etags.size > this.maxCheckRuns) {
      const oldest = this.etags.keys().next().value;
      if (oldest !== undefined) this.etags.delete(oldest);
    }
  }

  forgetCheckRun(repoKey: string, name: string, headSha: string): void {
    this.checkRuns.delete(`${repoKey}\n${name}\n${headSha}`);
  }
}

/** The process-wide cache used when none is passed. */
export const sharedGitHubScmCache = new GitHubScmCache();
