/**
 * Lists pull requests with conditional requests: each page's ETag is remembered and sent as
 * `If-None-Match`; GitHub answers 304 when nothing changed, which does not count against the
 * primary rate limit. The reconcile tick lists rollout PRs often, so this keeps it cheap.
 */
import type { ProbotOctokit } from "probot";
import { httpStatusOf } from "./github-errors.js";
import type { GitHubScmCache } from "./github-scm-cache.js";
import type { GitHubPull } from "./pull-request-mapper.js";

type ListParams = {
  owner: string;
  repo: string;
  state: "open" | "closed" | "all";
  sort?: "created" | "updated";
  direction?: "asc" | "desc";
  per_page: number;
};

type Pull = GitHubPull & { updated_at: string };

/**
 * One GET with the remembered ETag: 304 answers from the cache. `call` gets the headers to send
 * and returns the response (data, headers).
 */
export async function conditionalGet<T>(
  cache: GitHubScmCache,
  key: string,
  call: (headers: Record<string, string>) => Promise<{ data: T; headers: { etag?: string } }>,
): Promise<T> {
  const cached = cache.conditional<T>(key);
  try {
    const response = await call(cached ? { "if-none-match": cached.etag } : {});
    if (response.headers.etag) {
      cache.rememberConditional(key, {
        etag: response.headers.etag,
        data: response.data,
        hasNext: false,
      });
    }
    return response.data;
  } catch (error) {
    if (httpStatusOf(error) === 304 && cached) return cached.data;
    throw error;
  }
}

/**
 * Every page until `stop` says enough (it sees each page) or there is no next page.
 * Pages are at most 100 pulls; `maxPages` bounds a runaway listing.
 */
export async function listPullsConditionally(
  octokit: ProbotOctokit,
  params: ListParams,
  cache: GitHubScmCache,
  stop: (page: Pull[]) => boolean = () => false,
  maxPages = 20,
): Promise<Pull[]> {
  const all: Pull[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const key = JSON.stringify({ ...params, page });
    const cached = cache.conditional<Pull[]>(key);
    let data: Pull[];
    let hasNext: boolean;
    try {
      const response = await octokit.rest.pulls.list({
        ...params,
        page,
        ...(cached ? { headers: { "if-none-match": cached.etag } } : {}),
      });
      data = response.data as Pull[];
      hasNext = /rel="next"/.test(response.headers.link ?? "");
      const etag = response.headers.etag;
      if (etag) cache.rememberConditional(key, { etag, data, hasNext });
    } catch (error) {
      if (httpStatusOf(error) !== 304 || !cached) throw error;
      data = cached.data;
      hasNext = cached.hasNext;
    }
    all.push(...data);
    if (!hasNext || stop(data)) break;
  }
  return all;
}
