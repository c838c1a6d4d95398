/**
 * Golden files for what people read: PR bodies, check-run summaries, the halt comment. Compared
 * byte for byte; `UPDATE_GOLDEN=1 npx vitest run test/rollout/templates.test.ts` rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planOf } from "../../src/rollout/decide.js";
import { promotionPrBody, revertPrBody, waveCheckOutput } from "../../src/rollout/render-bodies.js";
import {
  haltedComment,
  rolloutCheckSummary,
  rolloutCheckView,
} from "../../src/rollout/render-rollout.js";
import {
  renderTemplate,
  sanitizeOverride,
  TEMPLATE_NAMES,
  templatesDir,
} from "../../src/rollout/render-template.js";
import { decodeState } from "../../src/rollout/state-codec.js";
import {
  check,
  config,
  NOW,
  outcome,
  pr,
  promotionMeta,
  REV,
  revertMeta,
  rollout,
  source,
} from "./rollout-builders.js";

const GOLDEN = fileURLToPath(new URL("../fixtures/golden/", import.meta.url));

function golden(name: string, actual: string): void {
  const file = `${GOLDEN}${name}.golden.md`;
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const hostile = {
  ...source,
  title:
    "Scale payments | ping @acme/platform [urgent] token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  author: "dana",
};
const plan = planOf(config(), rollout([]));

describe("templates (golden)", () => {
  it("promotion PR body: table of files, next step, hidden state that decodes back", async () => {
    const meta = promotionMeta("wave-2", { source: hostile });
    const body = await promotionPrBody(meta, plan[2]!, undefined);
    golden("promotion-pr", body);
    expect(body).not.toContain("@acme");
    expect(body).not.toContain("ghp_");
    expect(decodeState(body)).toEqual({
      ...meta,
      source: {
        ...meta.source,
        title: "Scale payments | ping @\u200dacme/platform [urgent] token ***",
      },
    });
  });

  it("revert PR body", async () => {
    const meta = revertMeta({
      reason: "app payments: Degraded (CrashLoopBackOff) | 6 restarts",
      source: hostile,
    });
    golden("revert-pr", await revertPrBody(meta));
  });

  it("wave check while gating: verdict per cluster and check, bake clock start and time left", async () => {
    const gate = outcome("pending", {
      reason: "green, 12m of bake left",
      results: [
        {
          check: "argocd-sync",
          cluster: "dev-2",
          status: "pass",
          reason: "Synced to abcdef0, Healthy",
          url: "https://argocd.example.com/applications/payments-dev-2",
        },
        { check: "pod-health", cluster: "dev-1", status: "pending", reason: "1/3 pods ready" },
        {
          check: "argocd-sync",
          cluster: "dev-1",
          status: "pass",
          reason: "Synced to abcdef0, Healthy",
        },
        {
          check: "error-rate",
          cluster: "dev-2",
          status: "unknown",
          reason: "Prometheus: connection refused",
        },
      ],
      clock: {
        startedAt: "2026-03-01T11:00:00.000Z",
        greenSince: "2026-03-01T11:30:00.000Z",
        failures: {},
      },
    });
    const out = await waveCheckOutput(
      {
        type: "setWaveCheck",
        rolloutId: "abcdef0",
        revision: REV,
        wave: "wave-1",
        headSha: "h",
        status: "in_progress",
        phase: "gating",
        reason: gate.reason,
        clock: gate.clock,
        outcome: gate,
      },
      3_600_000,
      NOW,
    );
    golden("wave-check-gating", `${out.title}\n---\n${out.summary}\n---\n${out.text}\n`);
  });

  it("wave check awaiting approval", async () => {
    const out = await waveCheckOutput(
      {
        type: "setWaveCheck",
        rolloutId: "abcdef0",
        revision: REV,
        wave: "wave-2",
        headSha: "h",
        status: "completed",
        conclusion: "action_required",
        phase: "awaiting-approval",
        reason: "waiting",
      },
      7_200_000,
      NOW,
    );
    golden("wave-check-approval", `${out.title}\n---\n${out.summary}\n`);
  });

  it("rollout check: every wave's state", async () => {
    const state = rollout([
      { name: "canary", state: "merged" },
      { name: "wave-1", state: "merged", check: check("in_progress") },
    ]);
    const view = rolloutCheckView(state, plan);
    expect(view.status).toBe("in_progress");
    golden("rollout-check", `${view.headline}\n---\n${await rolloutCheckSummary(state, view)}\n`);
  });

  it("halted comment", async () => {
    const state = rollout([{ name: "canary", state: "merged", check: check("failure") }], {
      revert: { pr: pr(2, "merged", ["waves:revert"]), meta: revertMeta() },
    });
    golden("halted-comment", `${await haltedComment(state)}\n`);
  });
});

describe("renderTemplate", () => {
  it("replaces known names, blanks unknown ones, never re-scans values", () => {
    expect(renderTemplate("a {{x}} b {{ y }} c {{nope}}", { x: "{{y}}", y: "2" })).toBe(
      "a {{y}} b 2 c ",
    );
  });

  it("finds every built-in template from the package root", () => {
    for (const name of TEMPLATE_NAMES) expect(existsSync(`${templatesDir()}${name}.md`)).toBe(true);
  });

  it("sanitises overrides: no hidden blocks, no pings, bounded size", () => {
    expect(sanitizeOverride("Hi @team <!-- waves:state {} --> {{wave}}")).toBe(
      "Hi @\u200dteam  {{wave}}",
    );
    expect(sanitizeOverride("x".repeat(20_001))).toBeUndefined();
  });
});
