/** A file's new content in a promotion or revert commit. */
export interface FileChange {
  path: string;
  content: string;
}

/** What a bump did to one cluster's file. */
export interface BumpRecord {
  cluster: string;
  path: string;
  /** Value before the bump (the revert restores it). */
  previous: string;
  /** Value after the bump. */
  next: string;
  /** False when the file already pinned the revision (a no-op). */
  changed: boolean;
}
