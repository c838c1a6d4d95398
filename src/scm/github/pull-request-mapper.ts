/** GitHub's pull request JSON → the port's `PullRequest`. */
import type { PullRequest } from "../port.js";

/** The fields of a pull (from `pulls.get`, `pulls.list` or `pulls.create`) the port needs. */
export interface GitHubPull {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  merge_commit_sha?: string | null;
  merged_at?: string | null;
  merged?: boolean;
  created_at: string;
  labels: ({ name?: string } | string)[];
  user: { login: string } | null;
}

export function toPullRequest(pull: GitHubPull): PullRequest {
  const merged = Boolean(pull.merged_at) || pull.merged === true;
  return {
    number: pull.number,
    url: pull.html_url,
    state: merged ? "merged" : pull.state === "open" ? "open" : "closed",
    title: pull.title,
    body: pull.body ?? "",
    branch: pull.head.ref,
    base: pull.base.ref,
    headSha: pull.head.sha,
    ...(merged && pull.merge_commit_sha ? { mergeCommitSha: pull.merge_commit_sha } : {}),
    ...(merged && pull.merged_at ? { mergedAt: pull.merged_at } : {}),
    createdAt: pull.created_at,
    labels: pull.labels
      .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
      .filter((name) => name !== ""),
    author: pull.user?.login ?? "ghost",
  };
}
