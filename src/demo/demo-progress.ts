/** How a demo run is shown: plain log lines (not a TTY) or a live frame redrawn in place (TTY). */
import { formatDuration } from "../config/duration.js";
import type { DemoEvent, DemoResult, DemoSnapshot, WaveView } from "./demo-types.js";

const ESC = "\u001b[";
const color = {
  green: (t: string) => `${ESC}32m${t}${ESC}0m`,
  red: (t: string) => `${ESC}31m${t}${ESC}0m`,
  yellow: (t: string) => `${ESC}33m${t}${ESC}0m`,
  dim: (t: string) => `${ESC}2m${t}${ESC}0m`,
  bold: (t: string) => `${ESC}1m${t}${ESC}0m`,
};

export function clockText(date: Date): string {
  return date.toISOString().slice(11, 19);
}

/** `[12:00:03] canary  PR #1 opened …` */
export function plainLine(event: DemoEvent): string {
  const where = (event.wave ?? "").padEnd(7);
  const cluster = event.cluster ? `${event.cluster} ` : "";
  return `[${clockText(event.at)}] ${where} ${cluster}${event.text}`;
}

const VERDICT_MARK: Record<string, (t: string) => string> = {
  pass: color.green,
  pending: color.yellow,
  unknown: color.yellow,
  fail: color.red,
};

function phaseText(wave: WaveView): string {
  switch (wave.phase) {
    case "waiting":
      return color.dim("waiting");
    case "pr-open":
      return color.yellow(`PR #${wave.pr} open`);
    case "awaiting-approval":
      return color.yellow(`PR #${wave.pr} awaits /approve ${wave.name}`);
    case "baking": {
      const left =
        wave.remainingMs !== undefined
          ? `bake ${formatDuration(wave.waitTimeMs - wave.remainingMs)} / ${formatDuration(wave.waitTimeMs)}`
          : "gating";
      return color.yellow(`PR #${wave.pr} merged · ${left}`);
    }
    case "passed":
      return color.green(`PR #${wave.pr} merged · passed`);
    case "failed":
      return color.red(`PR #${wave.pr} merged · FAILED`);
    case "reverted":
      return color.red("reverted");
  }
}

/** A bar of `width` cells showing how much of the bake has passed. */
function bakeBar(wave: WaveView, width = 20): string {
  if (wave.phase === "passed") return color.green("█".repeat(width));
  if (wave.phase !== "baking" || wave.remainingMs === undefined || wave.waitTimeMs <= 0) {
    return color.dim("·".repeat(width));
  }
  const done = Math.round(((wave.waitTimeMs - wave.remainingMs) / wave.waitTimeMs) * width);
  return color.yellow("█".repeat(done)) + color.dim("·".repeat(width - done));
}

const MAX_ROWS = 6;

/** The whole picture as lines (no cursor movement). */
export function frameLines(snapshot: DemoSnapshot): string[] {
  const elapsed = formatDuration(snapshot.now.getTime() - snapshot.startedAt.getTime());
  const lines = [
    color.bold(
      `gitops-waves demo · change ${snapshot.revision.slice(0, 7)} · clock ${clockText(snapshot.now)} (+${elapsed})`,
    ),
    "",
  ];
  for (const wave of snapshot.waves) {
    lines.push(`${color.bold(wave.name.padEnd(8))} ${bakeBar(wave)} ${phaseText(wave)}`);
    // A frame taller than the terminal cannot be redrawn in place: big waves show a few rows.
    const shown =
      wave.clusters.length > MAX_ROWS ? wave.clusters.slice(0, MAX_ROWS - 1) : wave.clusters;
    for (const cluster of shown) {
      const checks = wave.checks[cluster] ?? {};
      const cells = Object.entries(checks).map(([check, cell]) => {
        const paint = VERDICT_MARK[cell.status] ?? color.dim;
        return paint(`${check}:${cell.status}`);
      });
      const health = wave.health[cluster] ?? "";
      lines.push(`   ${cluster.padEnd(20)} ${health.padEnd(11)} ${cells.join("  ")}`);
    }
    if (shown.length < wave.clusters.length) {
      const rest = wave.clusters.slice(shown.length);
      const counts = new Map<string, number>();
      for (const cluster of rest) {
        for (const cell of Object.values(wave.checks[cluster] ?? {})) {
          counts.set(cell.status, (counts.get(cell.status) ?? 0) + 1);
        }
      }
      const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
      lines.push(
        color.dim(`   … ${rest.length} more clusters${tally ? ` (checks: ${tally})` : ""}`),
      );
    }
  }
  if (snapshot.revert) {
    const state = snapshot.revert.mergedAt ? "merged" : "open";
    lines.push("", color.red(`revert PR #${snapshot.revert.pr} ${state}`));
  }
  lines.push("", color.dim("recent:"));
  for (const event of snapshot.recent) {
    // Long lines would wrap and break the in-place redraw, which counts lines.
    const line = plainLine(event);
    lines.push(color.dim(`  ${line.length > 110 ? `${line.slice(0, 109)}…` : line}`));
  }
  return lines;
}

/** Redraws a frame in place: moves the cursor up over the previous frame and clears below. */
export function liveRenderer(write: (text: string) => void): {
  draw(snapshot: DemoSnapshot): void;
} {
  let previous = 0;
  return {
    draw(snapshot) {
      const lines = frameLines(snapshot);
      const up = previous > 0 ? `${ESC}${previous}A` : "";
      write(`${up}\r${ESC}0J${lines.map((line) => `${line}${ESC}K`).join("\n")}\n`);
      previous = lines.length;
    },
  };
}

/** The end-of-run summary, plain text. */
export function summaryLines(result: DemoResult, keep: boolean): string[] {
  const lines = [
    "",
    `Rollout of ${result.revision.slice(0, 7)}: ${result.outcome.toUpperCase()} — ${result.reason}`,
  ];
  for (const wave of result.snapshot.waves) {
    const pr = wave.pr ? `PR #${wave.pr}` : "no PR";
    const approved = wave.approvedBy ? `, approved by ${wave.approvedBy}` : "";
    lines.push(
      `  ${wave.name.padEnd(8)} ${wave.phase.padEnd(18)} ${pr}${approved} (${wave.clusters.length} cluster${wave.clusters.length === 1 ? "" : "s"})`,
    );
  }
  if (result.snapshot.revert) {
    lines.push(
      `  revert   PR #${result.snapshot.revert.pr} ${result.snapshot.revert.mergedAt ? "merged" : "open"}`,
    );
  }
  const virtual = formatDuration(
    result.snapshot.now.getTime() - result.snapshot.startedAt.getTime(),
  );
  lines.push(`  ${virtual} of rollout time in ${(result.realMs / 1000).toFixed(1)} s`);
  if (keep) {
    lines.push(
      `Sample repository kept at ${result.repoRoot}`,
      `  inspect it with: git -C ${result.originDir} log --graph --oneline main`,
    );
  }
  return lines;
}
