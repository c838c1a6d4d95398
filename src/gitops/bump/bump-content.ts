/**
 * Rewrites the revision a promotion file pins, touching only that scalar's bytes: comments, key
 * order, quoting, blank lines, indentation, line endings and the trailing newline stay as they are.
 */
import { type Document, parseAllDocuments } from "yaml";
import type { PromotionFile } from "../../config/waves.schema.js";
import { BumpError } from "./bump-error.js";
import { type RevisionSlot, revisionSlots } from "./revision-slots.js";
import { applyEdits, readsBackAs } from "./scalar-text.js";

export interface BumpContext {
  cluster: string;
  /** The file's path in the repository (for errors). */
  path: string;
  /** `owner/name` of the source repository: which kustomize remote URLs are ours. */
  sourceRepo?: string;
}

export interface BumpResult {
  content: string;
  /** The value before (the first slot's, when a file pins it in several places). */
  previous: string;
  next: string;
  /** False when every slot already held the value; `content` is then the input, untouched. */
  changed: boolean;
}

function parseDocs(content: string, fail: (detail: string) => never): Document[] {
  const docs = parseAllDocuments(content);
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) fail(`is not valid YAML: ${error.message.split("\n")[0]}`);
  }
  return list;
}

function findSlots(content: string, rule: PromotionFile, ctx: BumpContext): RevisionSlot[] {
  const fail = (detail: string): never => {
    throw new BumpError(ctx, detail);
  };
  const docs = parseDocs(content, fail);
  return revisionSlots(rule, { content, docs, sourceRepo: ctx.sourceRepo, fail });
}

/** The revision the file pins now (the first slot's value). */
export function readRevision(content: string, rule: PromotionFile, ctx: BumpContext): string {
  return findSlots(content, rule, ctx)[0]!.current;
}

/** Writes `value` into every slot of `rule`; the shared core of bump and restore. */
export function setRevision(
  content: string,
  rule: PromotionFile,
  value: string,
  ctx: BumpContext,
): BumpResult {
  const slots = findSlots(content, rule, ctx);
  const previous = slots[0]!.current;
  const edits = slots.filter((slot) => slot.current !== value).map((slot) => slot.edit(value));
  if (edits.length === 0) return { content, previous, next: value, changed: false };
  // Each new scalar text must read back as exactly the intended value on its own, in block and
  // flow context: then it can neither change type nor alter the structure around it.
  for (const edit of edits) {
    if (!readsBackAs(edit.text, edit.expected, edit)) {
      throw new BumpError(ctx, `could not write '${value}' safely into the file`);
    }
  }
  const updated = applyEdits(content, edits);
  return { content: updated, previous, next: value, changed: true };
}

/** Pins `revision` in the file described by `rule`. */
export function bumpContent(
  content: string,
  rule: PromotionFile,
  revision: string,
  ctx: BumpContext,
): BumpResult {
  return setRevision(content, rule, revision, ctx);
}

/** Puts `previous` back (revert): only the revision fields change, later unrelated edits survive. */
export function restoreContent(
  content: string,
  rule: PromotionFile,
  previous: string,
  ctx: BumpContext,
): BumpResult {
  return setRevision(content, rule, previous, ctx);
}
