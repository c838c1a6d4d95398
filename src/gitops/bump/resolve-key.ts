import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from "yaml";
import { formatSteps, type KeyStep } from "./key-path.js";

/** A key path either leads to one scalar, or says in words where it stopped. */
export type KeyLookup =
  | {
      found: true;
      node: Scalar;
      /** Whether the scalar may sit in flow context (`{…}`/`[…]`, or reached through an alias). */
      inFlow: boolean;
    }
  | { found: false; reason: string };

function isFlow(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && node.flow === true;
}

function deref(node: unknown, doc: Document): unknown {
  // An alias stands for the anchored node: the key's value is written there.
  return isAlias(node) ? node.resolve(doc) : node;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

function step(node: unknown, s: KeyStep, at: string): { next: unknown } | { reason: string } {
  const where = at === "" ? "the document" : `'${at}'`;
  if (s.kind === "key") {
    if (!isMap(node)) return { reason: `${where} is not a map, so it has no key '${s.key}'` };
    const pair = node.items.find((p) => scalarText(p.key) === s.key);
    if (!pair) return { reason: `no key '${s.key}' under ${where}` };
    return { next: pair.value };
  }
  if (!isSeq(node)) return { reason: `${where} is not a list` };
  if (s.kind === "index") {
    if (s.index >= node.items.length) {
      return { reason: `${where} has ${node.items.length} item(s), no [${s.index}]` };
    }
    return { next: node.items[s.index] };
  }
  const hits = node.items.filter(
    (item) => isMap(item) && scalarText(item.get(s.field, true)) === s.value,
  );
  if (hits.length === 0) return { reason: `no item of ${where} has ${s.field}=${s.value}` };
  if (hits.length > 1) {
    return {
      reason: `${hits.length} items of ${where} have ${s.field}=${s.value}; make it unique`,
    };
  }
  return { next: hits[0] };
}

/** Follows a key path from the document root to the scalar it names. */
export function resolveKey(doc: Document, steps: readonly KeyStep[]): KeyLookup {
  let node: unknown = doc.contents;
  let inFlow = false;
  for (let i = 0; i < steps.length; i++) {
    const at = formatSteps(steps.slice(0, i));
    // An anchored node may be written anywhere, so after an alias assume the strictest context.
    inFlow ||= isAlias(node);
    const current = deref(node, doc);
    inFlow ||= isFlow(current);
    const result = step(current, steps[i]!, at);
    if ("reason" in result) return { found: false, reason: result.reason };
    node = result.next;
  }
  inFlow ||= isAlias(node);
  const target = deref(node, doc) as Node | null | undefined;
  const key = formatSteps(steps);
  if (isScalar(target)) return { found: true, node: target, inFlow };
  if (isMap(target) || isSeq(target)) {
    return { found: false, reason: `'${key}' is a ${isMap(target) ? "map" : "list"}, not a value` };
  }
  return { found: false, reason: `'${key}' has no value` };
}
