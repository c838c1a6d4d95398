/**
 * Git-style unified diffs of text files (`--- a/path`, `+++ b/path`, 3 lines of context), from a
 * line-based Myers diff. Enough for config files; `git apply` accepts the output.
 */

type Op = { kind: " " | "-" | "+"; line: string };

const CONTEXT = 3;

/** Lines with their terminators, so a missing final newline shows up as a change. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The shortest edit script between two line lists (Myers 1986, with a saved trace). */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const saved = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && saved[offset + k - 1]! < saved[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = saved[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: a[--x]! });
      y--;
    }
    if (x === prevX) ops.push({ kind: "+", line: b[--y]! });
    else ops.push({ kind: "-", line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

/** Within each run of changes, deletions first, then insertions (as git prints them). */
function normalise(ops: Op[]): Op[] {
  const out: Op[] = [];
  let dels: Op[] = [];
  let ins: Op[] = [];
  const flush = () => {
    out.push(...dels, ...ins);
    dels = [];
    ins = [];
  };
  for (const op of ops) {
    if (op.kind === "-") dels.push(op);
    else if (op.kind === "+") ins.push(op);
    else {
      flush();
      out.push(op);
    }
  }
  flush();
  return out;
}

function diffOps(before: string, after: string): Op[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail are cheap to strip and keep the Myers trace small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const same = (line: string): Op => ({ kind: " ", line });
  return [
    ...a.slice(0, head).map(same),
    ...normalise(middle),
    ...a.slice(a.length - tail).map(same),
  ];
}

function range(start: number, count: number): string {
  // Git names an empty range by the line before it, and leaves out a count of one.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function renderLine(op: Op): string {
  if (op.line.endsWith("\n")) return `${op.kind}${op.line}`;
  return `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/** A unified diff of one file, or "" when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const ops = diffOps(before, after);
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  const hunks: { from: number; to: number }[] = [];
  for (const i of changed) {
    const last = hunks.at(-1);
    if (last && i - last.to <= 2 * CONTEXT + 1) last.to = i;
    else hunks.push({ from: i, to: i });
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  // Line positions before each op, in the old and the new file.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const op of ops) {
    oldAt.push(oldLine);
    newAt.push(newLine);
    if (op.kind !== "+") oldLine++;
    if (op.kind !== "-") newLine++;
  }
  for (const hunk of hunks) {
    const from = Math.max(0, hunk.from - CONTEXT);
    const to = Math.min(ops.length - 1, hunk.to + CONTEXT);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    out += `@@ -${range(oldAt[from]!, oldCount)} +${range(newAt[from]!, newCount)} @@\n`;
    out += slice.map(renderLine).join("");
  }
  return out;
}
