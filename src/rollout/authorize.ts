/**
 * Who may steer a rollout. Write, maintain or admin permission on the repository, or being one
 * of the wave's approvers (a listed user or a member of a listed team). The change's own author
 * may approve only where the wave allows self-approval. Bots, and the app itself, never.
 */
import type { WavePlan } from "../plan/types.js";
import type { ScmPort } from "../scm/port.js";
import type { CommandName } from "./types.js";

export type Authorization = { ok: true; via: string } | { ok: false; reason: string };

export interface AuthorizeInput {
  actor: string;
  actorIsBot: boolean;
  appLogin: string;
  command: CommandName;
  /** The wave a command names (`/approve`, `/retry`), resolved in the rollout's plan. */
  wave?: WavePlan;
  /** Every wave of the rollout (their approvers may hold, resume, roll back). */
  waves: readonly WavePlan[];
  /** Who wrote the change being rolled out. */
  changeAuthor: string;
}

const WRITERS = new Set(["admin", "maintain", "write"]);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function approverOf(
  scm: ScmPort,
  wave: WavePlan,
  actor: string,
): Promise<string | undefined> {
  if (wave.approvers.users.some((user) => same(user, actor)))
    return `approver of wave ${wave.name}`;
  for (const team of wave.approvers.teams) {
    if (await scm.isTeamMember(team, actor)) return `member of ${team}`;
  }
  return undefined;
}

export async function authorize(scm: ScmPort, input: AuthorizeInput): Promise<Authorization> {
  const { actor, command, wave } = input;
  if (input.actorIsBot || same(actor, input.appLogin) || actor.endsWith("[bot]")) {
    return { ok: false, reason: "bots cannot run rollout commands" };
  }
  if (command === "approve" && wave && same(actor, input.changeAuthor) && !wave.allowSelfApproval) {
    return {
      ok: false,
      reason: `${actor} wrote this change and wave ${wave.name} does not allow self-approval (allowSelfApproval: false)`,
    };
  }
  const permission = await scm.permission(actor);
  if (WRITERS.has(permission)) return { ok: true, via: `${permission} permission` };
  const candidates = wave ? [wave] : input.waves;
  for (const candidate of candidates) {
    const via = await approverOf(scm, candidate, actor);
    if (via) return { ok: true, via };
  }
  const what = wave ? `approvers of wave ${wave.name}` : "approvers of any wave";
  return {
    ok: false,
    reason: `${actor} has ${permission} permission and is not among the ${what}: write permission or being an approver is needed`,
  };
}
