/** The markdown report of a demo run: a table per wave and a mermaid gantt of the rollout. */
import { formatDuration } from "../config/duration.js";
import type { DemoResult, WaveView } from "./demo-types.js";

function hhmmss(date: Date | undefined): string {
  return date ? date.toISOString().slice(11, 19) : "—";
}

/** Mermaid's `dateFormat YYYY-MM-DDTHH:mm:ss` wants no milliseconds or zone. */
function mermaidTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function outcomeOf(wave: WaveView): string {
  switch (wave.phase) {
    case "passed":
      return "✅ passed";
    case "failed":
      return "❌ failed";
    case "reverted":
      return "↩️ reverted";
    case "waiting":
      return "⏸ not started";
    default:
      return `⏳ ${wave.phase}`;
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A gantt bar; an instant (opened and merged in the same tick) is drawn as a milestone. */
function task(name: string, tag: string, id: string, start: Date, end: Date): string {
  if (end.getTime() <= start.getTime()) {
    return `  ${name} :milestone, ${tag}, ${id}, ${mermaidTime(start)}, 0m`;
  }
  return `  ${name} :${tag}, ${id}, ${mermaidTime(start)}, ${mermaidTime(end)}`;
}

function ganttLines(result: DemoResult): string[] {
  const lines = [
    "```mermaid",
    "gantt",
    `  title Rollout of ${result.revision.slice(0, 7)} (virtual time)`,
    "  dateFormat YYYY-MM-DDTHH:mm:ss",
    "  axisFormat %H:%M",
  ];
  let id = 0;
  for (const wave of result.snapshot.waves) {
    if (!wave.openedAt) continue;
    lines.push(`  section ${wave.name}`);
    const merged = wave.mergedAt ?? wave.concludedAt ?? result.snapshot.now;
    const wait = wave.approvedBy ? `PR #${wave.pr} (approval)` : `PR #${wave.pr}`;
    lines.push(task(wait, "done", `t${id++}`, wave.openedAt, merged));
    if (wave.mergedAt) {
      const end = wave.concludedAt ?? result.snapshot.now;
      const tag = wave.phase === "failed" || wave.phase === "reverted" ? "crit" : "active";
      lines.push(task("gate", tag, `t${id++}`, wave.mergedAt, end));
    }
  }
  const revert = result.snapshot.revert;
  if (revert) {
    lines.push("  section revert");
    const end = revert.mergedAt ?? result.snapshot.now;
    lines.push(task(`PR #${revert.pr}`, "crit", `t${id++}`, revert.openedAt, end));
  }
  lines.push("```");
  return lines;
}

/** `kept`: whether the sample repository is left in place (`--keep`); otherwise it is gone. */
export function renderDemoReport(result: DemoResult, kept = false): string {
  const { snapshot } = result;
  const lines: string[] = [
    "# gitops-waves demo report",
    "",
    `- Change: \`${result.revision.slice(0, 12)}\` (clusters ran \`${result.previousRevision.slice(0, 12)}\` before)`,
    `- Outcome: **${result.outcome}** — ${escapeCell(result.reason)}`,
    `- Virtual duration: ${formatDuration(snapshot.now.getTime() - snapshot.startedAt.getTime())} (real: ${(result.realMs / 1000).toFixed(1)} s)`,
    kept
      ? `- Sample repository: \`${result.repoRoot}\``
      : "- Sample repository: removed after the run (keep it with `--keep`)",
    "",
    "## Waves",
    "",
    "| Wave | Clusters | PR | Opened | Merged | Approved by | Gate concluded | Bake | Outcome |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const wave of snapshot.waves) {
    lines.push(
      `| ${wave.name} | ${wave.clusters.join(", ")} | ${wave.pr ? `#${wave.pr}` : "—"} | ${hhmmss(wave.openedAt)} | ${hhmmss(wave.mergedAt)} | ${wave.approvedBy ?? "—"} | ${hhmmss(wave.concludedAt)} | ${formatDuration(wave.waitTimeMs)} | ${outcomeOf(wave)} |`,
    );
  }
  if (snapshot.revert) {
    lines.push(
      "",
      `Revert PR #${snapshot.revert.pr} opened ${hhmmss(snapshot.revert.openedAt)}, merged ${hhmmss(snapshot.revert.mergedAt)}.`,
    );
  }
  lines.push("", "## Health checks (last evaluation)", "");
  lines.push("| Wave | Cluster | Check | Verdict | Reason |", "| --- | --- | --- | --- | --- |");
  for (const wave of snapshot.waves) {
    for (const [cluster, checks] of Object.entries(wave.checks)) {
      for (const [check, cell] of Object.entries(checks)) {
        lines.push(
          `| ${wave.name} | ${cluster} | ${check} | ${cell.status} | ${escapeCell(cell.reason)} |`,
        );
      }
    }
  }
  lines.push("", "## Timeline", "", ...ganttLines(result), "", "## Events", "");
  for (const event of result.events) {
    const where = [event.wave, event.cluster].filter(Boolean).join(" ");
    lines.push(
      `- \`${hhmmss(event.at)}\` ${where ? `**${where}** ` : ""}${escapeCell(event.text)}`,
    );
  }
  lines.push("");
  return lines.join("\n");
}
