/** The overall `waves / rollout` check and the halt comment: every wave's state in one place. */
import type { WavePlan } from "../plan/types.js";
import type { CheckConclusion, CheckStatus } from "../scm/port.js";
import { safeUserText } from "../util/redact.js";
import { cell, sourceLine, table } from "./render-bodies.js";
import { loadTemplate, renderTemplate, type TemplateOverrides } from "./render-template.js";
import { rolloutPhase } from "./rollout-phase.js";
import { LABEL_HELD, type RolloutState, shortRevision } from "./types.js";

export interface RolloutCheckView {
  status: CheckStatus;
  conclusion?: CheckConclusion;
  headline: string;
  rows: { wave: string; clusters: number; pr?: { number: number; url: string }; state: string }[];
}

function lastState(
  rollout: RolloutState,
  plan: readonly WavePlan[],
): { headline: string; state: string; status: CheckStatus; conclusion?: CheckConclusion } {
  const phase = rolloutPhase(rollout, plan);
  const held = rollout.held ? " (on hold)" : "";
  const run = (state: string, headline: string) => ({
    state: `${state}${held}`,
    headline: `${headline}${held}`,
    status: "in_progress" as const,
  });
  switch (phase.kind) {
    case "awaiting-approval":
      return run(
        "waiting for approval",
        `Wave ${phase.wave.name} waits for /approve ${phase.wave.name}`,
      );
    case "merging":
      return run("merging", `Merging wave ${phase.wave.name}`);
    case "awaiting-merge":
      return run("waiting for a merge", `Wave ${phase.wave.name} waits for its PR to be merged`);
    case "gating":
      return run("gating", `Gating wave ${phase.wave.name}`);
    case "passed":
      return run("passed", `Wave ${phase.wave.name} passed; next: ${phase.next ?? "done"}`);
    case "failed":
      return run("failed", `Wave ${phase.wave.name} failed; rolling back`);
    case "reverting":
      return run(
        "failed",
        `Wave ${phase.revert.meta.failedWave} failed; rolling back in #${phase.revert.pr.number}`,
      );
    case "done":
      return {
        state: "passed",
        headline: "Done: every wave passed",
        status: "completed",
        conclusion: "success",
      };
    case "halted":
      return {
        state: "failed",
        headline: `Halted: ${phase.reason}`,
        status: "completed",
        conclusion: "failure",
      };
    case "superseded":
      return {
        state: "superseded",
        headline: "Superseded by a newer change",
        status: "completed",
        conclusion: "neutral",
      };
    case "closed":
      return {
        state: "closed",
        headline: `Stopped: ${phase.reason}`,
        status: "completed",
        conclusion: "cancelled",
      };
    case "start":
      return run("starting", "Starting");
  }
}

/** Each wave's state: earlier waves passed, the newest as its phase says, later ones waiting. */
export function rolloutCheckView(
  rollout: RolloutState,
  plan: readonly WavePlan[],
): RolloutCheckView {
  const last = rollout.waves.at(-1);
  const current = lastState(rollout, plan);
  const failedWave =
    rollout.revert?.pr.state !== "closed" ? rollout.revert?.meta.failedWave : undefined;
  const rows = plan.map((wave) => {
    const state = rollout.waves.find((w) => w.index === wave.index);
    let text: string;
    if (!state)
      text =
        current.state === "superseded" || current.state === "closed" ? "not started" : "waiting";
    else if (failedWave === wave.name)
      text = rollout.revert?.pr.state === "merged" ? "failed, rolled back" : "failed, rolling back";
    else if (state === last) text = current.state;
    else text = state.pr.state === "merged" ? "passed" : state.pr.state;
    if (state?.pr.labels.includes(LABEL_HELD) && !text.includes("hold")) text += " (on hold)";
    return {
      wave: wave.name,
      clusters: wave.clusters.length,
      ...(state ? { pr: { number: state.pr.number, url: state.pr.url } } : {}),
      state: text,
    };
  });
  return {
    status: current.status,
    ...(current.conclusion ? { conclusion: current.conclusion } : {}),
    headline: current.headline,
    rows,
  };
}

export async function rolloutCheckSummary(
  rollout: RolloutState,
  view: RolloutCheckView,
  overrides?: TemplateOverrides,
): Promise<string> {
  const rows = view.rows.map(
    (r) =>
      `| \`${r.wave}\` | ${r.clusters} | ${r.pr ? `[#${r.pr.number}](${r.pr.url})` : "—"} | ${r.state} |`,
  );
  const text = renderTemplate(await loadTemplate("rollout-check", overrides), {
    headline: safeUserText(view.headline),
    shortRevision: shortRevision(rollout.revision),
    sourceLine: sourceLine(rollout.source),
    waveTable: table(["Wave", "Clusters", "Pull request", "State"], rows),
  });
  return text.trimEnd();
}

export async function haltedComment(
  rollout: RolloutState,
  overrides?: TemplateOverrides,
): Promise<string> {
  const revert = rollout.revert;
  const revertLine = revert
    ? `Rollback: [#${revert.pr.number}](${revert.pr.url}) restores every cluster this rollout touched${revert.pr.state === "merged" ? " (merged)" : ""}.`
    : "No rollback PR was needed.";
  const text = renderTemplate(await loadTemplate("halted-comment", overrides), {
    shortRevision: shortRevision(rollout.revision),
    failedWave: revert?.meta.failedWave ?? rollout.waves.at(-1)?.name ?? "?",
    reason: cell(revert?.meta.reason ?? "the rollout was stopped"),
    revertLine,
  });
  return text.trimEnd();
}
