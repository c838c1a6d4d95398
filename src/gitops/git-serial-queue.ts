/** Runs tasks one after another: one queue per repository keeps its git operations serialised. */
export class GitSerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    // A failed task must not poison the ones queued after it.
    this.tail = next.catch(() => undefined);
    return next;
  }
}
