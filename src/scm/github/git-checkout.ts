/**
 * What the GitHub adapter needs from a cached clone of the target repository (the gitops
 * workspace's `RepoCheckout` satisfies it). File reads, ancestry and pushes go through git, so
 * REST calls per wave do not grow with the number of clusters.
 */
import type { CommitAndPushOptions, CommitAndPushResult } from "../../gitops/workspace.js";

export interface GitCheckout {
  readFile(ref: string, path: string): Promise<string | undefined>;
  commitAndPush(options: CommitAndPushOptions): Promise<CommitAndPushResult>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  fetch(branch: string): Promise<unknown>;
  headOf(branch: string): Promise<string>;
  /**
   * Paths that differ between two commits (fetched when absent); without `before` (a new
   * branch), the paths `after` changed against its first parent.
   */
  changedPaths?(before: string | undefined, after: string): Promise<string[]>;
}

/** Opens (or reuses) the clone of `url`, authenticating with `token` (never put in the URL). */
export type OpenCheckout = (remote: { url: string; token: string }) => Promise<GitCheckout>;

/** `<protocol>://<host>/<owner>/<repo>.git`, from Probot's GHE_HOST / GHE_PROTOCOL convention. */
export function gitRemoteUrl(
  repo: { owner: string; name: string },
  env: { GHE_HOST?: string; GHE_PROTOCOL?: string } = process.env,
): string {
  const host = env.GHE_HOST?.trim() || "github.com";
  const protocol = (env.GHE_PROTOCOL?.trim() || "https").replace(/:?\/*$/, "");
  return `${protocol}://${host}/${repo.owner}/${repo.name}.git`;
}

/** The REST API base for the same environment: `https://api.github.com` or `<host>/api/v3`. */
export function apiBaseUrl(
  env: { GHE_HOST?: string; GHE_PROTOCOL?: string } = process.env,
): string {
  const host = env.GHE_HOST?.trim();
  if (!host) return "https://api.github.com";
  const protocol = (env.GHE_PROTOCOL?.trim() || "https").replace(/:?\/*$/, "");
  return `${protocol}://${host}/api/v3`;
}
