/**
 * What people read: PR bodies, check-run outputs and the halt comment, rendered from templates.
 * Every piece of user text (titles, authors, reasons from probes) goes through `safeUserText`.
 */
import { formatDuration } from "../config/duration.js";
import type { GateOutcome } from "../health/types.js";
import type { WavePlan } from "../plan/types.js";
import { safeUserText } from "../util/redact.js";
import { loadTemplate, renderTemplate, type TemplateOverrides } from "./render-template.js";
import { gateSignature } from "./rollout-phase.js";
import { encodeGate, encodeSignature, encodeState } from "./state-codec.js";
import {
  type PromotionMeta,
  type RevertMeta,
  type SourceInfo,
  shortRevision,
  type WaveCheckAction,
} from "./types.js";

/** Text for one markdown table cell: safe, one line, no column breaks. */
export function cell(text: string): string {
  return safeUserText(text).replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim() || "—";
}

/** A markdown table (built in code: a formatter would mangle a table around a placeholder). */
export function table(header: readonly string[], rows: readonly string[]): string {
  const head = `| ${header.join(" | ")} |`;
  const rule = `| ${header.map(() => "---").join(" | ")} |`;
  return [head, rule, ...rows].join("\n");
}

/** A link whose text is user text. */
function link(text: string, url: string): string {
  const label = safeUserText(text).replace(/[[\]]/g, "").replace(/\r?\n/g, " ");
  return /^(https?|local):\/\//.test(url) ? `[${label}](${url})` : label;
}

export function sourceLine(source: SourceInfo): string {
  const what = source.pullRequest
    ? `#${source.pullRequest} ${link(source.title, source.url)}`
    : link(source.title, source.url);
  return `**Change:** ${what} by ${safeUserText(source.author)} (\`${shortRevision(source.sha)}\`)`;
}

const duration = (ms: number) => (ms > 0 ? formatDuration(ms) : "no bake time");

function nextStepOf(wave: WavePlan, next: string | undefined): string {
  const checks = wave.checks.map((c) => `\`${c.name}\``).join(", ") || "no checks";
  const gate = `gated on ${checks} staying green for ${duration(wave.waitTimeMs)}`;
  const then = next ? `then wave \`${next}\`` : "then the rollout is done";
  if (wave.requireApproval) {
    return `waits for \`/approve ${wave.name}\`, merges, is ${gate}; ${then}.`;
  }
  if (!wave.autoMerge) return `waits for someone to merge it, is ${gate}; ${then}.`;
  return `merges automatically, is ${gate}; ${then}.`;
}

export async function promotionPrBody(
  meta: PromotionMeta,
  wave: WavePlan,
  next: string | undefined,
  overrides?: TemplateOverrides,
): Promise<string> {
  const rows = meta.files.map(
    (f) =>
      `| ${cell(f.cluster)} | \`${cell(f.path)}\` | \`${cell(f.previous)}\` | \`${cell(f.next)}\` |`,
  );
  const body = renderTemplate(await loadTemplate("promotion-pr", overrides), {
    shortRevision: shortRevision(meta.revision),
    wave: meta.wave,
    waveNumber: String(meta.waveIndex + 1),
    waveCount: String(meta.waves.length),
    sourceLine: sourceLine(meta.source),
    clusterCount: String(meta.clusters.length),
    fileTable: table(["Cluster", "File", "From", "To"], rows),
    nextStep: nextStepOf(wave, next),
  });
  return `${body.trimEnd()}\n\n${encodeState(meta)}\n`;
}

export function promotionPrTitle(meta: Pick<PromotionMeta, "revision" | "wave">): string {
  return `waves: roll out ${shortRevision(meta.revision)} to ${meta.wave}`;
}

export async function revertPrBody(
  meta: RevertMeta,
  overrides?: TemplateOverrides,
): Promise<string> {
  const rows = meta.files.map(
    (f) =>
      `| ${cell(f.cluster)} | \`${cell(f.path)}\` | \`${cell(f.previous)}\` | \`${cell(f.next)}\` |`,
  );
  const body = renderTemplate(await loadTemplate("revert-pr", overrides), {
    shortRevision: shortRevision(meta.revision),
    failedWave: meta.failedWave,
    reason: cell(meta.reason),
    clusterCount: String(new Set(meta.files.map((f) => f.cluster)).size),
    fileTable: table(["Cluster", "File", "Restored", "Was"], rows),
    sourceLine: sourceLine(meta.source),
  });
  return `${body.trimEnd()}\n\n${encodeState(meta)}\n`;
}

export function revertPrTitle(meta: Pick<RevertMeta, "revision" | "failedWave">): string {
  return `waves: roll back ${shortRevision(meta.revision)} (wave ${meta.failedWave} failed)`;
}

const VERDICT_ICON: Record<string, string> = {
  pass: "✅ pass",
  pending: "⏳ pending",
  fail: "❌ fail",
  unknown: "❔ unknown",
};

function resultTable(outcome: GateOutcome | undefined): string {
  return table(["Cluster", "Check", "Verdict", "Reason"], resultRows(outcome));
}

function resultRows(outcome: GateOutcome | undefined): string[] {
  const results = [...(outcome?.results ?? [])].sort(
    (a, b) => a.cluster.localeCompare(b.cluster) || a.check.localeCompare(b.check),
  );
  if (results.length === 0) return ["| — | — | — | no evaluation yet |"];
  return results.map((r) => {
    const reason = r.url ? `${cell(r.reason)} ([link](${r.url}))` : cell(r.reason);
    return `| ${cell(r.cluster)} | \`${cell(r.check)}\` | ${VERDICT_ICON[r.status] ?? r.status} | ${reason} |`;
  });
}

function clockLine(action: WaveCheckAction, waitTimeMs: number, now: Date): string {
  const clock = action.clock;
  if (!clock) return "The bake clock starts when the promotion PR merges.";
  const parts = [`Bake clock started ${clock.startedAt}`];
  parts.push(`needs every check green for ${duration(waitTimeMs)}`);
  if (clock.greenSince) {
    const passesAt = Date.parse(clock.greenSince) + waitTimeMs;
    const left = Math.max(0, passesAt - now.getTime());
    parts.push(`green since ${clock.greenSince}`);
    parts.push(
      action.phase === "passed"
        ? "passed"
        : `${left > 0 ? formatDuration(left) : "no time"} left (passes at ${new Date(passesAt).toISOString()})`,
    );
  } else if (action.phase === "gating") {
    parts.push("not green yet");
  }
  return `${parts.join("; ")}.`;
}

function headlineOf(action: WaveCheckAction): string {
  const reason = safeUserText(action.reason).replace(/\r?\n/g, " ");
  switch (action.phase) {
    case "gating":
      return `Gating wave ${action.wave}: ${reason}`;
    case "passed":
      return `Wave ${action.wave} passed: ${reason}`;
    case "failed":
      return `Wave ${action.wave} failed: ${reason}`;
    case "timed-out":
      return `Wave ${action.wave} timed out: ${reason}`;
    case "awaiting-approval":
      return `Wave ${action.wave} waits for approval: comment /approve ${action.wave}`;
    case "merging":
      return `Merging wave ${action.wave}; the gate starts once it is merged`;
    case "merge-blocked":
      return `Merge of wave ${action.wave} blocked: ${reason}`;
  }
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

/** The `waves / <wave>` output; its text hides the bake clock and a fingerprint of the picture. */
export async function waveCheckOutput(
  action: WaveCheckAction,
  waitTimeMs: number,
  now: Date,
  overrides?: TemplateOverrides,
): Promise<CheckOutput> {
  const headline = headlineOf(action);
  const summary = renderTemplate(await loadTemplate("wave-check", overrides), {
    headline,
    clockLine: clockLine(action, waitTimeMs, now),
    resultTable: resultTable(action.outcome),
    wave: action.wave,
    shortRevision: shortRevision(action.revision),
  });
  const hidden: string[] = [];
  if (action.clock) hidden.push(encodeGate(action.clock));
  if (action.outcome) hidden.push(encodeSignature(gateSignature(action.outcome)));
  return {
    title: headline.length > 200 ? `${headline.slice(0, 199)}…` : headline,
    summary: summary.trimEnd(),
    ...(hidden.length > 0 ? { text: hidden.join("\n") } : {}),
  };
}
