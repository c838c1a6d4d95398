import { describe, expect, it } from "vitest";
import { authorize } from "../../src/rollout/authorize.js";
import { planOf } from "../../src/rollout/decide.js";
import type { CommandName } from "../../src/rollout/types.js";
import type { Permission, ScmPort } from "../../src/scm/port.js";
import { config, rollout } from "./rollout-builders.js";

const plan = planOf(config(), rollout([]));
const permissions: Record<string, Permission> = {
  wendy: "write",
  mia: "maintain",
  adam: "admin",
  tom: "triage",
  dana: "write",
};
const teams: Record<string, string[]> = { "acme/leads": ["lee"] };
const scm = {
  permission: async (login: string) => permissions[login] ?? "read",
  isTeamMember: async (team: string, login: string) => (teams[team] ?? []).includes(login),
} as unknown as ScmPort;

async function who(actor: string, command: CommandName, waveName?: string, bot = false) {
  const wave = plan.find((w) => w.name === waveName);
  const result = await authorize(scm, {
    actor,
    actorIsBot: bot,
    appLogin: "waves[bot]",
    command,
    ...(wave ? { wave } : {}),
    waves: plan,
    changeAuthor: "dana",
  });
  return result.ok ? `ok (${result.via})` : result.reason;
}

describe("authorize", () => {
  it.each([
    ["wendy", "approve", "wave-2", false, "ok (write permission)"],
    ["mia", "approve", "wave-2", false, "ok (maintain permission)"],
    ["adam", "hold", undefined, false, "ok (admin permission)"],
    ["carol", "approve", "wave-2", false, "ok (approver of wave wave-2)"],
    ["CAROL", "approve", "wave-2", false, "ok (approver of wave wave-2)"],
    ["lee", "approve", "wave-2", false, "ok (member of acme/leads)"],
    ["carol", "rollback", undefined, false, "ok (approver of wave wave-2)"],
    [
      "tom",
      "approve",
      "wave-2",
      false,
      "tom has triage permission and is not among the approvers of wave wave-2: write permission or being an approver is needed",
    ],
    [
      "carol",
      "approve",
      "canary",
      false,
      "carol has read permission and is not among the approvers of wave canary: write permission or being an approver is needed",
    ],
    [
      "dana",
      "approve",
      "wave-2",
      false,
      "dana wrote this change and wave wave-2 does not allow self-approval (allowSelfApproval: false)",
    ],
    ["dana", "hold", undefined, false, "ok (write permission)"],
    ["renovate[bot]", "approve", "wave-2", false, "bots cannot run rollout commands"],
    ["waves[bot]", "rollback", undefined, false, "bots cannot run rollout commands"],
    ["wendy", "approve", "wave-2", true, "bots cannot run rollout commands"],
  ] as [string, CommandName, string | undefined, boolean, string][])(
    "%s %s %s",
    async (actor, command, wave, bot, expected) => {
      expect(await who(actor, command, wave, bot)).toBe(expected);
    },
  );

  it("self-approval is allowed where the wave says so", async () => {
    const selfPlan = planOf(config(), rollout([])).map((w) => ({
      ...w,
      allowSelfApproval: true,
    }));
    const result = await authorize(scm, {
      actor: "dana",
      actorIsBot: false,
      appLogin: "waves[bot]",
      command: "approve",
      wave: selfPlan[2]!,
      waves: selfPlan,
      changeAuthor: "dana",
    });
    expect(result).toEqual({ ok: true, via: "write permission" });
  });
});
