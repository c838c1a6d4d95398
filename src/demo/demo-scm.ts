/** The demo's "GitHub": the local SCM adapter over the sample repository's bare origin. */
import { LocalScm } from "../scm/local/local-scm.js";
import type { SampleRepo } from "./sample-repo.js";
import { DEVELOPER, SAMPLE_REPO_SLUG } from "./sample-repo.js";

export const DEMO_APP_LOGIN = "waves[bot]";
/** Listed in wave-2's approvers and has write permission. */
export const DEMO_APPROVER = "alice";
/** Has read permission only: the demo shows their approval being refused. */
export const DEMO_OUTSIDER = "mallory";

export function createDemoScm(repo: SampleRepo, clock: () => Date): LocalScm {
  const [owner, name] = SAMPLE_REPO_SLUG.split("/") as [string, string];
  return new LocalScm({
    gitDir: repo.origin,
    repo: { owner, name },
    permissions: { [DEMO_APPROVER]: "write", [DEVELOPER.name]: "write", [DEMO_OUTSIDER]: "read" },
    defaultPermission: "none",
    appLogin: DEMO_APP_LOGIN,
    clock,
    urlBase: `demo://${SAMPLE_REPO_SLUG}`,
  });
}
