/**
 * Runs work for one repository one at a time (webhooks and ticks alike), so two events for the
 * same repo never reconcile concurrently in this process. Different repos run in parallel.
 */
export class RepoQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(repoKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(repoKey) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(repoKey, tail);
    void tail.then(() => {
      if (this.tails.get(repoKey) === tail) this.tails.delete(repoKey);
    });
    return next;
  }

  /** Repos with work queued or running. */
  get busy(): number {
    return this.tails.size;
  }

  /** Resolves once everything queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
