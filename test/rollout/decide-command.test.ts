import { describe, expect, it } from "vitest";
import { planOf } from "../../src/rollout/decide.js";
import { decideCommand } from "../../src/rollout/decide-command.js";
import type { Command, RolloutState } from "../../src/rollout/types.js";
import { check, config, NOW, pr, revertMeta, rollout } from "./rollout-builders.js";

const plan = planOf(config(), rollout([]));
const refusal = (state: RolloutState, command: Command) => {
  const result = decideCommand(state, command, plan, NOW);
  return result.ok ? `ok: ${result.note}` : result.reason;
};

describe("decideCommand: refusals say why", () => {
  const gating = rollout([{ name: "canary", state: "merged", check: check("in_progress") }]);
  const waiting = rollout([
    { name: "canary", state: "merged" },
    { name: "wave-1", state: "merged" },
    { name: "wave-2", state: "open" },
  ]);
  const halted = rollout([{ name: "canary", state: "merged", check: check("failure") }], {
    revert: { pr: pr(2, "merged", ["waves:revert"]), meta: revertMeta() },
  });
  it.each([
    [
      "unknown wave",
      gating,
      { name: "approve", wave: "wave-9", actor: "a" },
      'there is no wave named "wave-9" in this rollout (waves: canary, wave-1, wave-2)',
    ],
    [
      "approve a wave without PR",
      gating,
      { name: "approve", wave: "wave-2", actor: "a" },
      "wave wave-2 has no promotion PR yet: approve it once its PR is open",
    ],
    [
      "approve a merged wave",
      waiting,
      { name: "approve", wave: "canary", actor: "a" },
      "wave canary's PR #1 is already merged",
    ],
    [
      "approve a wave that needs none",
      rollout([{ name: "canary", state: "open" }]),
      { name: "approve", wave: "canary", actor: "a" },
      "wave canary does not require approval",
    ],
    [
      "approve twice",
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "open", approvedBy: "bob" },
      ]),
      { name: "approve", wave: "wave-2", actor: "a" },
      "ok: already approved by bob",
    ],
    [
      "retry a wave that did not fail",
      gating,
      { name: "retry", wave: "canary", actor: "a" },
      "wave canary has not failed: nothing to retry",
    ],
    [
      "retry another wave",
      gating,
      { name: "retry", wave: "wave-1", actor: "a" },
      "wave wave-1 is not the wave that failed",
    ],
    [
      "retry after the rollback merged",
      halted,
      { name: "retry", wave: "canary", actor: "a" },
      "the rollback (PR #2) is already merged: merge a new change to roll out again",
    ],
    [
      "hold a halted rollout",
      halted,
      { name: "hold", actor: "a" },
      "the rollout of abcdef0 is halted",
    ],
    [
      "hold twice",
      rollout([{ name: "canary", state: "merged" }], { held: true }),
      { name: "hold", actor: "a" },
      "ok: already on hold",
    ],
    [
      "rollback twice",
      halted,
      { name: "rollback", actor: "a" },
      "ok: already rolling back in PR #2",
    ],
  ] as [string, RolloutState, Command, string][])("%s", (_, state, command, expected) => {
    expect(refusal(state, command)).toBe(expected);
  });
});
