/**
 * Applies a revision to a set of cluster files (one wave's promotion, or a revert): reads each
 * file once, runs every rule that targets it in order, and reports the new contents, a record
 * per cluster file (the previous value is what a revert restores) and every error at once.
 */

import type { ClusterFile } from "../../plan/types.js";
import type { BumpRecord, FileChange } from "../types.js";
import { setRevision } from "./bump-content.js";
import { BumpError } from "./bump-error.js";

export interface FilesBump {
  /** Files whose content changes, in plan order, with their content before. */
  changes: (FileChange & { before: string })[];
  /** One per cluster file, changed or not. */
  records: BumpRecord[];
  /** Every file that could not be bumped; nothing should be committed when this is not empty. */
  errors: BumpError[];
}

export interface BumpFilesOptions {
  /** `owner/name` of the source repository (which kustomize remote URLs are ours). */
  sourceRepo?: string;
}

/**
 * Writes `value` (one revision, or a value per file for a revert) into `files`. `read` returns a
 * file's current content, or undefined when it does not exist.
 */
export function bumpFiles(
  files: readonly ClusterFile[],
  value: string | ((file: ClusterFile) => string),
  read: (path: string) => string | undefined,
  options: BumpFilesOptions = {},
): FilesBump {
  const valueFor = typeof value === "string" ? () => value : value;
  const current = new Map<string, { before: string; content: string }>();
  const failed = new Set<string>();
  const records: BumpRecord[] = [];
  const errors: BumpError[] = [];
  for (const file of files) {
    if (failed.has(file.path)) continue;
    const ctx = { cluster: file.cluster, path: file.path, sourceRepo: options.sourceRepo };
    let entry = current.get(file.path);
    if (!entry) {
      const text = read(file.path);
      if (text === undefined) {
        errors.push(new BumpError(ctx, "the file does not exist"));
        failed.add(file.path);
        continue;
      }
      entry = { before: text, content: text };
      current.set(file.path, entry);
    }
    try {
      const result = setRevision(entry.content, file.rule, valueFor(file), ctx);
      entry.content = result.content;
      records.push({
        cluster: file.cluster,
        path: file.path,
        previous: result.previous,
        next: result.next,
        changed: result.changed,
      });
    } catch (error) {
      if (!(error instanceof BumpError)) throw error;
      errors.push(error);
      failed.add(file.path);
    }
  }
  const changes = [...current.entries()]
    .filter(([path, entry]) => !failed.has(path) && entry.content !== entry.before)
    .map(([path, entry]) => ({ path, content: entry.content, before: entry.before }));
  return { changes, records, errors };
}
