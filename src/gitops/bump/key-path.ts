/**
 * Dotted key paths such as `spec.sources[name=base].targetRevision`, `spec.sources[0].ref` or
 * `images[name=ghcr.io/acme/api].newTag`: a segment is a map key, a `[N]` list index or a
 * `[field=value]` list selector. Dots and slashes inside brackets belong to the selector.
 */
export type KeyStep =
  | { kind: "key"; key: string }
  | { kind: "index"; index: number }
  | { kind: "match"; field: string; value: string };

/** Renders a step back as the user wrote it, for error messages. */
export function formatSteps(steps: readonly KeyStep[]): string {
  let out = "";
  for (const step of steps) {
    if (step.kind === "key") out += out === "" ? step.key : `.${step.key}`;
    else if (step.kind === "index") out += `[${step.index}]`;
    else out += `[${step.field}=${step.value}]`;
  }
  return out;
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1);
  return t;
}

function bracketStep(inner: string, keyPath: string): KeyStep {
  const trimmed = inner.trim();
  if (/^\d+$/.test(trimmed)) return { kind: "index", index: Number(trimmed) };
  const eq = trimmed.indexOf("=");
  if (eq > 0) {
    return {
      kind: "match",
      field: trimmed.slice(0, eq).trim(),
      value: unquote(trimmed.slice(eq + 1)),
    };
  }
  if (/^(["']).*\1$/.test(trimmed)) return { kind: "key", key: unquote(trimmed) };
  throw new Error(
    `key '${keyPath}': '[${inner}]' is neither a list index like [0] nor a selector like [name=base]`,
  );
}

/** Parses a key path; throws an Error naming the path when it is malformed. */
export function parseKeyPath(keyPath: string): KeyStep[] {
  const steps: KeyStep[] = [];
  let name = "";
  let i = 0;
  const flushName = (required: boolean) => {
    if (name !== "") steps.push({ kind: "key", key: name });
    else if (required) throw new Error(`key '${keyPath}' has an empty segment`);
    name = "";
  };
  while (i < keyPath.length) {
    const ch = keyPath[i]!;
    if (ch === ".") {
      const prev = keyPath[i - 1];
      flushName(prev !== "]");
      i++;
    } else if (ch === "[") {
      flushName(false);
      const close = keyPath.indexOf("]", i);
      if (close < 0) throw new Error(`key '${keyPath}' has an unclosed '['`);
      steps.push(bracketStep(keyPath.slice(i + 1, close), keyPath));
      i = close + 1;
      if (i < keyPath.length && keyPath[i] !== "." && keyPath[i] !== "[") {
        throw new Error(`key '${keyPath}': expected '.' or '[' after ']'`);
      }
    } else {
      name += ch;
      i++;
    }
  }
  if (keyPath.endsWith(".")) throw new Error(`key '${keyPath}' ends with '.'`);
  flushName(false);
  if (steps.length === 0) throw new Error("key is empty");
  return steps;
}
