/**
 * Finds where a file pins the revision, per promotion file kind: a "slot" is one scalar holding
 * it (a URL's `?ref=` counts as one slot per URL) and knows how to write a new value there.
 */
import { type Document, isMap, isScalar, isSeq, type Scalar } from "yaml";
import type { PromotionFile } from "../../config/waves.schema.js";
import { parseKeyPath } from "./key-path.js";
import { resolveKey } from "./resolve-key.js";
import {
  isStrTagged,
  renderScalar,
  scalarRange,
  scalarValue,
  type TextEdit,
} from "./scalar-text.js";

export interface RevisionSlot {
  /** The revision the slot holds now. */
  current: string;
  /** The edit that writes `value` into the slot, and the scalar value it must read back as. */
  edit(value: string): SlotEdit;
}

export interface SlotEdit extends TextEdit {
  /** The whole scalar's value after the edit (a URL for kustomize refs). */
  expected: string;
  strTagged: boolean;
  inFlow: boolean;
}

export type Fail = (detail: string) => never;

export interface SlotContext {
  content: string;
  docs: Document[];
  sourceRepo?: string;
  fail: Fail;
}

function scalarSlot(node: Scalar, inFlow: boolean, ctx: SlotContext): RevisionSlot {
  const { start, end } = scalarRange(node);
  if (start === end) ctx.fail("the value is empty; pin a revision there first");
  return {
    current: scalarValue(ctx.content, node),
    edit: (value) => ({
      start,
      end,
      text: renderScalar(node, value, ctx.fail),
      expected: value,
      strTagged: isStrTagged(node),
      inFlow,
    }),
  };
}

function lookupSlots(keyPath: string, ctx: SlotContext, label: string): RevisionSlot[] {
  let steps: ReturnType<typeof parseKeyPath>;
  try {
    steps = parseKeyPath(keyPath);
  } catch (error) {
    return ctx.fail((error as Error).message);
  }
  const slots: RevisionSlot[] = [];
  const reasons: string[] = [];
  for (const doc of ctx.docs) {
    const lookup = resolveKey(doc, steps);
    if (lookup.found) slots.push(scalarSlot(lookup.node, lookup.inFlow, ctx));
    else reasons.push(lookup.reason);
  }
  if (slots.length === 0) {
    const why = reasons[0] ?? "the file is empty";
    const docs = ctx.docs.length > 1 ? ` in none of its ${ctx.docs.length} documents` : "";
    ctx.fail(`${label} not found${docs}: ${why}`);
  }
  return slots;
}

/** `kind: yaml`: the scalar at the dotted key, in every document that has it. */
function yamlSlots(rule: PromotionFile, ctx: SlotContext): RevisionSlot[] {
  return lookupSlots(rule.key ?? "", ctx, `key '${rule.key ?? ""}'`);
}

/** `kind: kustomize-image`: `images[name=<image>].newTag` (or `.digest`). */
function imageSlots(rule: PromotionFile, ctx: SlotContext): RevisionSlot[] {
  const field = rule.field ?? "newTag";
  const image = rule.image ?? "";
  return lookupSlots(`images[name=${image}].${field}`, ctx, `image '${image}' ${field}`);
}

// Kustomize takes the git ref as `ref=` or, in older URLs, `version=`.
const REF_PARAM = /([?&])(ref|version)=([^&#\s]*)/;
const REMOTE_LISTS = ["resources", "components", "bases"];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether a kustomize remote URL points at `matcher` (free text) or the `owner/name` slug. */
function urlMatches(url: string, rule: PromotionFile, sourceRepo: string | undefined): boolean {
  if (rule.match) return url.includes(rule.match);
  if (!sourceRepo) return true;
  const slug = new RegExp(`(^|[/:])${escapeRegExp(sourceRepo)}(\\.git)?($|[/?#])`, "i");
  return slug.test(url);
}

function refSlot(
  node: Scalar,
  url: string,
  inFlow: boolean,
  ctx: SlotContext,
): RevisionSlot | undefined {
  const found = REF_PARAM.exec(url);
  if (!found) return undefined;
  const param = `${found[1]}${found[2]}=`;
  const current = found[3]!;
  const { start, end } = scalarRange(node);
  const before = url.slice(0, found.index);
  const after = url.slice(found.index + found[0].length);
  const withRef = (value: string) => `${before}${param}${value}${after}`;
  return {
    current,
    edit(value) {
      // Prefer touching only the ref's characters; fall back to rewriting the whole URL scalar.
      const source = ctx.content.slice(start, end);
      const at = source.search(
        new RegExp(`[?&]${found[2]}=${escapeRegExp(current)}(?![^&#\\s'"])`),
      );
      if (at >= 0 && /^[A-Za-z0-9._/+-]*$/.test(value)) {
        const from = at + param.length;
        const text = source.slice(0, from) + value + source.slice(from + current.length);
        return { start, end, text, expected: withRef(value), strTagged: isStrTagged(node), inFlow };
      }
      const expected = withRef(value);
      const text = renderScalar(node, expected, ctx.fail);
      return { start, end, text, expected, strTagged: isStrTagged(node), inFlow };
    },
  };
}

/** `kind: kustomize-ref`: the `?ref=` of every remote resource/component of the source repo. */
function refSlots(rule: PromotionFile, ctx: SlotContext): RevisionSlot[] {
  const slots: RevisionSlot[] = [];
  for (const doc of ctx.docs) {
    if (!isMap(doc.contents)) continue;
    for (const listName of REMOTE_LISTS) {
      const list = doc.contents.get(listName, true);
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        if (!isScalar(item) || typeof item.value !== "string") continue;
        if (!urlMatches(item.value, rule, ctx.sourceRepo)) continue;
        const slot = refSlot(item, item.value, list.flow === true, ctx);
        if (slot) slots.push(slot);
      }
    }
  }
  if (slots.length === 0) {
    const what = rule.match
      ? `containing '${rule.match}'`
      : ctx.sourceRepo
        ? `of ${ctx.sourceRepo}`
        : "of any repository";
    ctx.fail(`no remote resources/components URL ${what} with a ?ref= was found`);
  }
  return slots;
}

/** Every slot of `rule` in the parsed file; calls `ctx.fail` when there is none. */
export function revisionSlots(rule: PromotionFile, ctx: SlotContext): RevisionSlot[] {
  switch (rule.kind) {
    case "yaml":
      return yamlSlots(rule, ctx);
    case "kustomize-image":
      return imageSlots(rule, ctx);
    case "kustomize-ref":
      return refSlots(rule, ctx);
  }
}
