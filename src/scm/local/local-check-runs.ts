/** Check runs in the local SCM's state: found by name on a commit, written like GitHub does. */
import type { CheckRun, CheckRunSpec } from "../port.js";
import type { LocalState, StoredCheckRun } from "./local-state.js";

export function toCheckRun(run: StoredCheckRun): CheckRun {
  return {
    id: run.id,
    name: run.name,
    headSha: run.headSha,
    status: run.status,
    ...(run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.externalId ? { externalId: run.externalId } : {}),
    ...(run.title ? { title: run.title } : {}),
    ...(run.summary ? { summary: run.summary } : {}),
    ...(run.text ? { text: run.text } : {}),
  };
}

/** Creates the run or updates the newest one with that name on that commit. */
export function writeCheckRun(state: LocalState, spec: CheckRunSpec, now: string): CheckRun {
  let run = state.checkRuns
    .filter((r) => r.name === spec.name && r.headSha === spec.headSha)
    .at(-1);
  // As on GitHub, a completed run cannot be reopened: going back to queued or in progress
  // (a retry, a gate after an approval) starts a new run, which findCheckRun then returns.
  if (!run || (run.status === "completed" && spec.status !== "completed")) {
    run = { id: state.nextCheckId++, name: spec.name, headSha: spec.headSha } as StoredCheckRun;
    state.checkRuns.push(run);
  }
  run.status = spec.status;
  run.externalId = spec.externalId;
  run.title = spec.title;
  run.summary = spec.summary;
  run.updatedAt = now;
  run.writes = (run.writes ?? 0) + 1;
  if (spec.status === "completed") run.conclusion = spec.conclusion ?? "neutral";
  else delete run.conclusion;
  if (spec.text !== undefined) run.text = spec.text;
  else delete run.text;
  if (spec.actions) run.actions = spec.actions;
  else delete run.actions;
  if (spec.annotations) run.annotations = spec.annotations;
  else delete run.annotations;
  if (spec.detailsUrl) run.detailsUrl = spec.detailsUrl;
  return toCheckRun(run);
}
