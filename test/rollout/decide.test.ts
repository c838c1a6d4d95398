import { describe, expect, it } from "vitest";
import { decide } from "../../src/rollout/decide.js";
import { gateSignature } from "../../src/rollout/rollout-phase.js";
import type { Action, Observations, RolloutState } from "../../src/rollout/types.js";
import {
  check,
  config,
  NEWER,
  NOW,
  outcome,
  pr,
  REV,
  revertMeta,
  rollout,
  source,
} from "./rollout-builders.js";

/** One line per action, so a table row reads like the transition it tests. */
function brief(action: Action): string {
  switch (action.type) {
    case "openPromotionPr":
      return `openPromotionPr:${action.wave.name}@${action.rollout.revision.slice(0, 7)}`;
    case "mergePr":
      return `mergePr:#${action.pr}:${action.kind}`;
    case "setWaveCheck":
      return `setWaveCheck:${action.wave}:${action.conclusion ?? action.status}`;
    case "openRevertPr":
      return `openRevertPr:${action.failedWave}`;
    case "closeSuperseded":
      return `closeSuperseded:${action.rolloutId}:[${action.prs.join(",")}]`;
    case "label":
      return `label:#${action.pr}:${action.add.map((l) => `+${l}`).join("")}${action.remove.map((l) => `-${l}`).join("")}`;
    case "recordApproval":
      return `recordApproval:#${action.pr}:${action.by}`;
    case "closePr":
      return `closePr:#${action.pr}`;
    case "notifyHalted":
      return "notifyHalted";
    case "queueRollout":
      return `queueRollout:${action.push.revision.slice(0, 7)}`;
    case "done":
      return "done";
  }
}

const push = (revision = NEWER) => ({
  push: {
    revision,
    source: { ...source, sha: revision },
    changedPaths: ["base/app.yaml"],
    targetBranch: "main",
  },
});
const gate = (wave: string, status: "pass" | "pending" | "fail", extra = {}): Observations => ({
  gate: { wave, outcome: outcome(status, extra) },
});
const pending = outcome("pending");

interface Row {
  name: string;
  rollouts: RolloutState[];
  obs?: Observations;
  extraConfig?: string;
  expected: string[];
}

const rows: Row[] = [
  {
    name: "push with nothing running → canary PR",
    rollouts: [],
    obs: push(REV),
    expected: ["openPromotionPr:canary@abcdef0"],
  },
  {
    name: "push of a revision that already has a rollout → nothing",
    rollouts: [rollout([{ name: "canary", state: "merged" }])],
    obs: push(REV),
    expected: [],
  },
  {
    name: "open canary PR (auto merge) → its check shows up queued, then merge",
    rollouts: [rollout([{ name: "canary", state: "open" }])],
    expected: ["setWaveCheck:canary:queued", "mergePr:#1:promotion"],
  },
  {
    name: "open PR whose check is there (merge blocked before) → merge only",
    rollouts: [
      rollout([
        { name: "canary", state: "open", check: check("in_progress", { status: "queued" }) },
      ]),
    ],
    expected: ["mergePr:#1:promotion"],
  },
  {
    name: "open canary PR while held → nothing",
    rollouts: [
      rollout([{ name: "canary", state: "open", labels: ["waves:held"] }], { held: true }),
    ],
    expected: [],
  },
  {
    name: "merged → gating, first pending evaluation → in_progress check",
    rollouts: [rollout([{ name: "canary", state: "merged" }])],
    obs: gate("canary", "pending"),
    expected: ["setWaveCheck:canary:in_progress"],
  },
  {
    name: "gate pending, unchanged picture → no write",
    rollouts: [
      rollout([
        {
          name: "canary",
          state: "merged",
          check: check("in_progress"),
          signature: gateSignature(pending),
        },
      ]),
    ],
    obs: { gate: { wave: "canary", outcome: pending } },
    expected: [],
  },
  {
    name: "gate pending, picture changed → in_progress write",
    rollouts: [
      rollout([
        { name: "canary", state: "merged", check: check("in_progress"), signature: "stale" },
      ]),
    ],
    obs: gate("canary", "pending"),
    expected: ["setWaveCheck:canary:in_progress"],
  },
  {
    name: "gate pass → success check and the next wave's PR",
    rollouts: [rollout([{ name: "canary", state: "merged", check: check("in_progress") }])],
    obs: gate("canary", "pass"),
    expected: ["setWaveCheck:canary:success", "openPromotionPr:wave-1@abcdef0"],
  },
  {
    name: "gate pass while held → success, no next PR",
    rollouts: [
      rollout([{ name: "canary", state: "merged", labels: ["waves:held"] }], { held: true }),
    ],
    obs: gate("canary", "pass"),
    expected: ["setWaveCheck:canary:success"],
  },
  {
    name: "passed wave (check success) → next wave PR",
    rollouts: [rollout([{ name: "canary", state: "merged", check: check("success") }])],
    expected: ["openPromotionPr:wave-1@abcdef0"],
  },
  {
    name: "last wave gate pass → success and done",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "merged", approvedBy: "alice", check: check("in_progress") },
      ]),
    ],
    obs: gate("wave-2", "pass"),
    expected: ["setWaveCheck:wave-2:success", "done"],
  },
  {
    name: "last wave passed → done",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "merged", check: check("success") },
      ]),
    ],
    expected: ["done"],
  },
  {
    name: "requireApproval wave opened → awaiting-approval label and action_required check",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "open" },
      ]),
    ],
    expected: ["label:#3:+waves:awaiting-approval", "setWaveCheck:wave-2:action_required"],
  },
  {
    name: "awaiting approval already shown → nothing",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        {
          name: "wave-2",
          state: "open",
          labels: ["waves:awaiting-approval"],
          check: check("action_required"),
        },
      ]),
    ],
    expected: [],
  },
  {
    name: "approved wave (approval recorded, merge blocked earlier) → merge again",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        {
          name: "wave-2",
          state: "open",
          approvedBy: "alice",
          check: check("in_progress", { status: "queued" }),
        },
      ]),
    ],
    expected: ["mergePr:#3:promotion"],
  },
  ...(["canary", "wave-1", "wave-2"] as const).map(
    (failing, i): Row => ({
      name: `gate fail in ${failing} → failure check, revert PR, halted label`,
      rollouts: [
        rollout(
          ["canary", "wave-1", "wave-2"]
            .slice(0, i + 1)
            .map((name) => ({ name, state: "merged" as const, approvedBy: "alice" })),
        ),
      ],
      obs: gate(failing, "fail"),
      expected: [
        `setWaveCheck:${failing}:failure`,
        `openRevertPr:${failing}`,
        `label:#${i + 1}:+waves:halted`,
      ],
    }),
  ),
  {
    name: "gate timed out → timed_out check and revert",
    rollouts: [rollout([{ name: "canary", state: "merged" }])],
    obs: gate("canary", "fail", { timedOut: true }),
    expected: ["setWaveCheck:canary:timed_out", "openRevertPr:canary", "label:#1:+waves:halted"],
  },
  {
    name: "failed check but no revert yet (restart after the check write) → revert",
    rollouts: [
      rollout([
        {
          name: "canary",
          state: "merged",
          labels: ["waves:halted"],
          check: check("failure", { title: "Degraded" }),
        },
      ]),
    ],
    expected: ["openRevertPr:canary"],
  },
  {
    name: "revert open, autoMerge → merge it and tell the change's PR",
    rollouts: [
      rollout(
        [{ name: "canary", state: "merged", labels: ["waves:halted"], check: check("failure") }],
        {
          revert: { pr: pr(2, "open", ["waves:revert"]), meta: revertMeta() },
        },
      ),
    ],
    expected: ["mergePr:#2:revert", "notifyHalted"],
  },
  {
    name: "revert open, rollback.autoMerge false → only tell",
    extraConfig: "rollback:\n  autoMerge: false\n",
    rollouts: [
      rollout(
        [{ name: "canary", state: "merged", labels: ["waves:halted"], check: check("failure") }],
        {
          revert: { pr: pr(2, "open", ["waves:revert"]), meta: revertMeta() },
        },
      ),
    ],
    expected: ["notifyHalted"],
  },
  {
    name: "revert merged and notified → halted, nothing more",
    rollouts: [
      rollout(
        [{ name: "canary", state: "merged", labels: ["waves:halted"], check: check("failure") }],
        {
          revert: { pr: pr(2, "merged", ["waves:revert"]), meta: revertMeta({ notified: true }) },
        },
      ),
    ],
    expected: [],
  },
  {
    name: "newer push while a rollout runs (supersede) → newer canary, older closed",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "open" },
      ]),
    ],
    obs: push(),
    expected: ["openPromotionPr:canary@fedcba9", "closeSuperseded:abcdef0:[2]"],
  },
  {
    name: "newer push while a revert waits for a human merge → the revert is closed too",
    extraConfig: "rollback:\n  autoMerge: false\n",
    rollouts: [
      rollout(
        [{ name: "canary", state: "merged", labels: ["waves:halted"], check: check("failure") }],
        {
          revert: { pr: pr(2, "open", ["waves:revert"]), meta: revertMeta({ notified: true }) },
        },
      ),
    ],
    obs: push(),
    expected: ["openPromotionPr:canary@fedcba9", "closeSuperseded:abcdef0:[2]"],
  },
  {
    name: "newer push while a rollout runs (queue) → queued",
    extraConfig: "onNewChange: queue\n",
    rollouts: [rollout([{ name: "canary", state: "merged" }])],
    obs: push(),
    expected: ["queueRollout:fedcba9"],
  },
  {
    name: "newer push after the last rollout finished → starts",
    rollouts: [
      rollout([{ name: "canary", state: "merged", check: check("failure") }], {
        revert: { pr: pr(2, "merged", ["waves:revert"]), meta: revertMeta({ notified: true }) },
      }),
    ],
    obs: push(),
    expected: ["openPromotionPr:canary@fedcba9"],
  },
  {
    name: "an older unfinished rollout left behind → superseded cleanup, newer moves on",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "open" },
      ]),
      rollout([{ name: "canary", state: "open" }], {}, NEWER, 3),
    ],
    expected: ["closeSuperseded:abcdef0:[2]", "setWaveCheck:canary:queued", "mergePr:#3:promotion"],
  },
  {
    name: "queued change and the running rollout finished → queued starts at the canary",
    extraConfig: "onNewChange: queue\n",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "merged", check: check("success") },
      ]),
    ],
    obs: { queued: push().push },
    expected: ["openPromotionPr:canary@fedcba9"],
  },
  {
    name: "queued change while the rollout still runs → it waits",
    extraConfig: "onNewChange: queue\n",
    rollouts: [rollout([{ name: "canary", state: "merged", check: check("in_progress") }])],
    obs: { queued: push().push },
    expected: [],
  },
  {
    name: "superseded rollout → nothing",
    rollouts: [
      rollout([{ name: "canary", state: "merged", labels: ["waves:superseded"] }], {
        superseded: true,
      }),
    ],
    obs: gate("canary", "fail"),
    expected: [],
  },
  {
    name: "promotion PR closed by hand → stopped, nothing",
    rollouts: [rollout([{ name: "canary", state: "closed" }])],
    expected: [],
  },
];

describe("decide: transitions", () => {
  it.each(rows)("$name", ({ rollouts, obs, extraConfig, expected }) => {
    const actions = decide(rollouts, obs ?? {}, NOW, config(extraConfig));
    expect(actions.map(brief)).toEqual(expected);
  });
});

const commandRows: Row[] = [
  {
    name: "/approve on an awaiting wave → record, unlabel, merge",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "merged" },
        { name: "wave-2", state: "open", labels: ["waves:awaiting-approval"] },
      ]),
    ],
    obs: { command: { name: "approve", wave: "wave-2", actor: "alice" } },
    expected: [
      "recordApproval:#3:alice",
      "label:#3:-waves:awaiting-approval",
      "mergePr:#3:promotion",
    ],
  },
  {
    name: "/approve while held → recorded, merged on resume",
    rollouts: [
      rollout(
        [
          { name: "canary", state: "merged" },
          { name: "wave-1", state: "merged" },
          { name: "wave-2", state: "open", labels: ["waves:held"] },
        ],
        { held: true },
      ),
    ],
    obs: { command: { name: "approve", wave: "wave-2", actor: "alice" } },
    expected: ["recordApproval:#3:alice", "label:#3:-waves:awaiting-approval"],
  },
  {
    name: "/hold → held label on the newest PR",
    rollouts: [rollout([{ name: "canary", state: "merged" }])],
    obs: { command: { name: "hold", actor: "alice" } },
    expected: ["label:#1:+waves:held"],
  },
  {
    name: "/resume → held label removed",
    rollouts: [
      rollout([{ name: "canary", state: "merged", labels: ["waves:held"] }], { held: true }),
    ],
    obs: { command: { name: "resume", actor: "alice" } },
    expected: ["label:#1:-waves:held"],
  },
  {
    name: "/rollback mid-rollout → close the open PR, revert the merged waves",
    rollouts: [
      rollout([
        { name: "canary", state: "merged" },
        { name: "wave-1", state: "open" },
      ]),
    ],
    obs: { command: { name: "rollback", actor: "alice" } },
    expected: ["closePr:#2", "openRevertPr:canary", "label:#1:+waves:halted"],
  },
  {
    name: "/retry of a failed wave with an open revert → revert closed, new clock",
    rollouts: [
      rollout(
        [{ name: "canary", state: "merged", labels: ["waves:halted"], check: check("failure") }],
        {
          revert: { pr: pr(2, "open", ["waves:revert"]), meta: revertMeta() },
        },
      ),
    ],
    obs: { command: { name: "retry", wave: "canary", actor: "alice" } },
    expected: ["closePr:#2", "label:#1:-waves:halted", "setWaveCheck:canary:in_progress"],
  },
];

describe("decide: commands", () => {
  it.each(commandRows)("$name", ({ rollouts, obs, expected }) => {
    const actions = decide(rollouts, obs ?? {}, NOW, config());
    expect(actions.map(brief)).toEqual(expected);
  });

  it("/retry starts the bake clock at now", () => {
    const state = rollout([{ name: "canary", state: "merged", check: check("timed_out") }]);
    const [, check2] = decide(
      [state],
      { command: { name: "retry", wave: "canary", actor: "a" } },
      NOW,
      config(),
    );
    expect(check2).toMatchObject({
      type: "setWaveCheck",
      clock: { startedAt: NOW.toISOString(), failures: {} },
    });
  });
});
