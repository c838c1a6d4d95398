import { describe, expect, it } from "vitest";
import { renderDemoReport } from "../../src/demo/demo-report.js";
import type { DemoResult, WaveView } from "../../src/demo/demo-types.js";

const at = (hhmm: string) => new Date(`2026-01-01T${hhmm}:00Z`);

function wave(partial: Partial<WaveView> & Pick<WaveView, "name" | "clusters">): WaveView {
  return { phase: "waiting", waitTimeMs: 600_000, checks: {}, health: {}, ...partial };
}

const result: DemoResult = {
  outcome: "halted",
  expected: true,
  reason: "wave wave-1 failed (argocd-sync on dev-1: Degraded | CrashLoopBackOff)",
  revision: "a".repeat(40),
  previousRevision: "b".repeat(40),
  repoRoot: "/tmp/x",
  originDir: "/tmp/x/origin.git",
  realMs: 2_500,
  events: [{ at: at("12:00"), kind: "change-merged", text: "dana merged aaaaaaa" }],
  snapshot: {
    now: at("12:40"),
    startedAt: at("12:00"),
    revision: "a".repeat(40),
    recent: [],
    revert: { pr: 3, openedAt: at("12:30"), mergedAt: at("12:30") },
    waves: [
      wave({
        name: "canary",
        clusters: ["c-1"],
        phase: "reverted",
        pr: 1,
        openedAt: at("12:00"),
        mergedAt: at("12:00"),
        concludedAt: at("12:11"),
      }),
      wave({
        name: "wave-1",
        clusters: ["dev-1", "dev-2"],
        phase: "failed",
        pr: 2,
        openedAt: at("12:11"),
        mergedAt: at("12:15"),
        concludedAt: at("12:30"),
        checks: {
          "dev-1": { "argocd-sync": { status: "fail", reason: "Degraded | CrashLoopBackOff" } },
        },
      }),
      wave({ name: "wave-2", clusters: ["prod-1"] }),
    ],
  },
};

describe("demo report", () => {
  const report = renderDemoReport(result);

  it("has a row per wave with its PR, times and outcome (pipes escaped)", () => {
    expect(report).toContain(
      "- Outcome: **halted** — wave wave-1 failed (argocd-sync on dev-1: Degraded \\| CrashLoopBackOff)",
    );
    expect(report).toContain(
      "| canary | c-1 | #1 | 12:00:00 | 12:00:00 | — | 12:11:00 | 10m | ↩️ reverted |",
    );
    expect(report).toContain(
      "| wave-1 | dev-1, dev-2 | #2 | 12:11:00 | 12:15:00 | — | 12:30:00 | 10m | ❌ failed |",
    );
    expect(report).toContain("| wave-2 | prod-1 | — | — | — | — | — | 10m | ⏸ not started |");
    expect(report).toContain(
      "| wave-1 | dev-1 | argocd-sync | fail | Degraded \\| CrashLoopBackOff |",
    );
    expect(report).toContain("Revert PR #3 opened 12:30:00, merged 12:30:00.");
  });

  it("names the sample repository only when it was kept", () => {
    expect(report).toContain("- Sample repository: removed after the run (keep it with `--keep`)");
    expect(report).not.toContain(result.repoRoot);
    expect(renderDemoReport(result, true)).toContain(`- Sample repository: \`${result.repoRoot}\``);
  });

  it("draws a gantt: bars for spans, milestones for instants, only waves that started", () => {
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(report)?.[1];
    expect(mermaid).toBe(
      [
        "gantt",
        "  title Rollout of aaaaaaa (virtual time)",
        "  dateFormat YYYY-MM-DDTHH:mm:ss",
        "  axisFormat %H:%M",
        "  section canary",
        "  PR #1 :milestone, done, t0, 2026-01-01T12:00:00, 0m",
        "  gate :crit, t1, 2026-01-01T12:00:00, 2026-01-01T12:11:00",
        "  section wave-1",
        "  PR #2 :done, t2, 2026-01-01T12:11:00, 2026-01-01T12:15:00",
        "  gate :crit, t3, 2026-01-01T12:15:00, 2026-01-01T12:30:00",
        "  section revert",
        "  PR #3 :milestone, crit, t4, 2026-01-01T12:30:00, 0m",
        "",
      ].join("\n"),
    );
  });
});
