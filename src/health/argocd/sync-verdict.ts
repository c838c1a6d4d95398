/**
 * argocd-sync for one application, DESIGN.md section 3, in this order:
 * 1. conditions ComparisonError / InvalidSpecError → fail (Argo CD cannot render the revision);
 * 2. an operation Running/Terminating → pending;
 * 3. an operation Failed/Error for the wave's revision → fail (an old revision's failure is history);
 * 4. not on the wave's revision yet → pending;
 * 5. OutOfSync with no operation running → pending (the live state is not the revision's yet, so
 *    its health says nothing about the change); sync status Unknown → unknown;
 * 6. `reconciledAt` older than the operation's `finishedAt` → pending (health is stale);
 * 7. health Degraded / Missing → fail, Progressing / Suspended → pending, Unknown → unknown.
 */
import type { Application } from "./argocd-types.js";
import { type Finding, oneLine } from "./finding.js";
import {
  appRevisionState,
  operationRevisions,
  type RevisionMatcher,
  shortRevision,
} from "./revision-match.js";

const ERROR_CONDITIONS = new Set(["ComparisonError", "InvalidSpecError"]);

export interface SyncJudgeOptions {
  revision: string;
  matches: RevisionMatcher;
  /** GitOps repositories (`owner/name`) whose sources must be on the revision. */
  repos: readonly string[];
  /** Extra detail for a Degraded app, e.g. from its pods ("CrashLoopBackOff, 6 restarts"). */
  degradedDetail?: string;
}

function withDetail(head: string, detail: string | undefined): string {
  const text = oneLine(detail);
  return text ? `${head} — ${text}` : head;
}

export async function judgeAppSync(app: Application, options: SyncJudgeOptions): Promise<Finding> {
  const name = app.metadata.name;
  const status = app.status ?? {};
  const op = status.operationState;

  const bad = (status.conditions ?? []).find((c) => ERROR_CONDITIONS.has(c.type ?? ""));
  if (bad) return { status: "fail", reason: withDetail(`${name}: ${bad.type}`, bad.message) };

  const opRevisions = operationRevisions(app);
  const opTarget = opRevisions[0] ? ` to ${shortRevision(opRevisions[0])}` : "";
  if (op?.phase === "Running" || op?.phase === "Terminating") {
    const verb = op.phase === "Running" ? "running" : "terminating";
    return { status: "pending", reason: `${name}: sync${opTarget} ${verb}` };
  }

  const state = await appRevisionState(app, options.matches, options.repos);
  if (op?.phase === "Failed" || op?.phase === "Error") {
    const forUs =
      opRevisions.length > 0
        ? (await Promise.all(opRevisions.map((rev) => options.matches(rev)))).some(Boolean)
        : state.updated;
    if (forUs) {
      return {
        status: "fail",
        reason: withDetail(`${name}: sync${opTarget} ${op.phase}`, op.message),
      };
    }
  }

  if (!state.updated) {
    const at = state.current ? `on ${shortRevision(state.current)}` : "no revision reported";
    return {
      status: "pending",
      reason: `${name}: not yet on ${shortRevision(options.revision)} (${at})`,
    };
  }

  const syncStatus = status.sync?.status;
  const health = status.health?.status;
  if (syncStatus === "OutOfSync") {
    const healthNote = health && health !== "Healthy" ? `, health ${health}` : "";
    return {
      status: "pending",
      reason: `${name}: OutOfSync with no sync running${healthNote} (is auto-sync off?)`,
    };
  }
  if (syncStatus !== "Synced") {
    return { status: "unknown", reason: `${name}: sync status ${syncStatus ?? "not reported"}` };
  }

  const finishedAt = op?.finishedAt ? Date.parse(op.finishedAt) : Number.NaN;
  const reconciledAt = status.reconciledAt ? Date.parse(status.reconciledAt) : Number.NaN;
  if (
    Number.isFinite(finishedAt) &&
    (!Number.isFinite(reconciledAt) || reconciledAt < finishedAt)
  ) {
    return {
      status: "pending",
      reason: `${name}: health not yet reassessed since the sync finished at ${op?.finishedAt}`,
    };
  }

  const message = status.health?.message;
  switch (health) {
    case "Healthy":
      return {
        status: "pass",
        reason: `${name}: Synced to ${shortRevision(options.revision)}, Healthy`,
      };
    case "Degraded":
      return {
        status: "fail",
        reason: withDetail(`${name}: Degraded`, options.degradedDetail ?? message),
      };
    case "Missing":
      return {
        status: "fail",
        reason: withDetail(`${name}: Missing`, message ?? "resources not found in the cluster"),
      };
    case "Progressing":
    case "Suspended":
      return { status: "pending", reason: withDetail(`${name}: ${health}`, message) };
    default:
      return {
        status: "unknown",
        reason: withDetail(`${name}: health ${health ?? "not reported"}`, message),
      };
  }
}
