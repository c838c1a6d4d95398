/** Labels are created on first use (422 "already_exists" is fine), then remembered per process. */
import type { ProbotOctokit } from "probot";
import { isAlreadyExists } from "./github-errors.js";
import type { GitHubScmCache } from "./github-scm-cache.js";

const COLORS: Record<string, string> = {
  "waves:halted": "b60205",
  "waves:revert": "d93f0b",
  "waves:awaiting-approval": "fbca04",
  "waves:promotion": "1d76db",
};

export async function ensureLabels(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string },
  repoKey: string,
  labels: string[],
  cache: GitHubScmCache,
): Promise<void> {
  for (const name of labels) {
    if (cache.hasLabel(repoKey, name)) continue;
    try {
      await octokit.rest.issues.createLabel({
        ...params,
        name,
        color: COLORS[name] ?? "5319e7",
        description: "Managed by gitops-waves",
      });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    cache.addLabel(repoKey, name);
  }
}
