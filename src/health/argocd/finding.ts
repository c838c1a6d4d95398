import { safeUserText } from "../../util/redact.js";
import type { Verdict } from "../types.js";

/** One app's (or pod's) answer, before they are combined per cluster. */
export interface Finding {
  status: Verdict;
  reason: string;
  url?: string;
}

const SEVERITY: Record<Verdict, number> = { pass: 0, pending: 1, unknown: 2, fail: 3 };

/** Worse of two verdicts: fail > unknown > pending > pass (nothing unknown counts as pass). */
export function worse(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/**
 * The worst finding wins; when several share the worst status the reason says how many more
 * there are, so one line still tells the whole story ("… (+2 more failing)").
 */
export function worstFinding(findings: readonly Finding[]): Finding | undefined {
  let worst: Finding | undefined;
  let ties = 0;
  for (const finding of findings) {
    if (!worst || SEVERITY[finding.status] > SEVERITY[worst.status]) {
      worst = finding;
      ties = 0;
    } else if (finding.status === worst.status) {
      ties++;
    }
  }
  if (!worst || ties === 0 || worst.status === "pass") return worst;
  const word = { fail: "failing", unknown: "unknown", pending: "pending" }[worst.status];
  return { ...worst, reason: `${worst.reason} (+${ties} more ${word})` };
}

/**
 * Squeezes an Argo CD message into one short line that is safe to show: no credentials (repo
 * URLs in ComparisonErrors can carry them), no @mentions.
 */
export function oneLine(text: string | undefined, max = 160): string {
  const flat = safeUserText((text ?? "").replace(/\s+/g, " ").trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "1 pod", "3 pods". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
