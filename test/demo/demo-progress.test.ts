import { describe, expect, it } from "vitest";
import { frameLines, liveRenderer, plainLine } from "../../src/demo/demo-progress.js";
import type { DemoSnapshot, WaveView } from "../../src/demo/demo-types.js";

const ESC = String.fromCharCode(27);
const strip = (text: string) => text.replace(new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g"), "");

function wave(partial: Partial<WaveView> & Pick<WaveView, "name" | "clusters">): WaveView {
  return { phase: "waiting", waitTimeMs: 600_000, checks: {}, health: {}, ...partial };
}

const snapshot = (waves: WaveView[]): DemoSnapshot => ({
  now: new Date("2026-01-01T12:10:00Z"),
  startedAt: new Date("2026-01-01T12:00:00Z"),
  revision: "abcdef0123456789",
  waves,
  recent: [],
});

describe("demo progress", () => {
  it("prints plain log lines with the virtual time, wave and cluster", () => {
    const at = new Date("2026-01-01T12:00:03Z");
    expect(plainLine({ at, kind: "pr-opened", wave: "canary", text: "PR #1 opened" })).toBe(
      "[12:00:03] canary  PR #1 opened",
    );
    expect(
      plainLine({ at, kind: "sync", wave: "wave-1", cluster: "dev-1", text: "Argo CD Healthy" }),
    ).toBe("[12:00:03] wave-1  dev-1 Argo CD Healthy");
    expect(plainLine({ at, kind: "done", text: "done" })).toBe("[12:00:03]         done");
  });

  it("shows the bake clock and each check's verdict per cluster", () => {
    const lines = frameLines(
      snapshot([
        wave({
          name: "canary",
          clusters: ["c-1"],
          phase: "baking",
          pr: 1,
          remainingMs: 150_000,
          health: { "c-1": "Healthy" },
          checks: { "c-1": { "argocd-sync": { status: "pass", reason: "ok" } } },
        }),
      ]),
    ).map(strip);
    expect(lines[0]).toBe("gitops-waves demo · change abcdef0 · clock 12:10:00 (+10m)");
    expect(lines[2]).toBe(
      `canary   ${"█".repeat(15)}${"·".repeat(5)} PR #1 merged · bake 7m30s / 10m`,
    );
    expect(lines[3]).toBe("   c-1                  Healthy     argocd-sync:pass");
  });

  it("folds big waves so the frame fits a terminal", () => {
    const clusters = Array.from({ length: 40 }, (_, i) => `p-${i}`);
    const checks = Object.fromEntries(
      clusters.map((c, i) => [
        c,
        { "pod-health": { status: i < 30 ? "pass" : "fail", reason: "" } },
      ]),
    ) as WaveView["checks"];
    const lines = frameLines(snapshot([wave({ name: "wave-2", clusters, checks })])).map(strip);
    expect(lines).toHaveLength(2 + 1 + 6 + 2);
    expect(lines[8]).toBe("   … 35 more clusters (checks: 25 pass, 10 fail)");
  });

  it("redraws in place: cursor up over the previous frame, clear below", () => {
    const out: string[] = [];
    const live = liveRenderer((text) => out.push(text));
    const frame = snapshot([wave({ name: "canary", clusters: ["c-1"] })]);
    live.draw(frame);
    live.draw(frame);
    const height = frameLines(frame).length;
    expect(out[0]!.startsWith("\r\u001b[0J")).toBe(true);
    expect(out[1]!.startsWith(`\u001b[${height}A\r\u001b[0J`)).toBe(true);
  });
});
