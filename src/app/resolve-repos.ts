/**
 * Which repositories an event concerns: the SOURCE (config, `waves / rollout` and `waves / config`
 * checks, the change's PR) and the TARGET (rollout PRs, wave checks). An event from the source
 * names the target in its `.github/waves.yml` (`target.repository`, default the same repo); an
 * event from a GitOps repository finds the source in the rollout state of its PRs.
 */
import type { ProbotOctokit } from "probot";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load-config.js";
import { CONFIG_CHECK, decodeState, LABEL_PROMOTION, LABEL_REVERT } from "../rollout/index.js";
import { githubMessageOf, httpStatusOf } from "../scm/github/github-errors.js";
import type { GitHubScm } from "../scm/github/github-scm.js";
import type { RepoRef } from "../scm/port.js";
import type { Logger } from "../util/logger.js";

/** What the event itself says (saves reads). */
export interface EventHints {
  /** The repository's default branch, from the payload (where its config is read). */
  defaultBranch?: string;
  /** A pushed commit: a failing `waves / config` check goes there when the target is unusable. */
  sha?: string;
  /** The body of the rollout PR the event is about (a comment, a closed PR): its hidden state. */
  prBody?: string;
}

export interface ResolveInput {
  octokit: ProbotOctokit;
  /** The repository the event (or tick) comes from. */
  repo: RepoRef;
  hints: EventHints;
  /** Source already known for this target (remembered from an earlier event or discovery). */
  knownSource?: RepoRef;
  makeScm(repo: RepoRef): GitHubScm;
  logger: Logger;
}

export type Resolution =
  | { ok: true; source: GitHubScm; target: GitHubScm; targetDefaultBranch?: string }
  | { ok: false; reason: string };

export const repoName = (repo: RepoRef) => `${repo.owner}/${repo.name}`;
export const sameRepo = (a: RepoRef, b: RepoRef) =>
  repoName(a).toLowerCase() === repoName(b).toLowerCase();

export function parseRepoName(text: string): RepoRef | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(text.trim());
  return match?.[1] && match[2] ? { owner: match[1], name: match[2] } : undefined;
}

/** The source repository a rollout PR's hidden state names, or undefined (same repository). */
export function sourceOfState(body: string | undefined, logger?: Logger): RepoRef | undefined {
  const named = decodeState(body, logger)?.source.repository;
  return named ? parseRepoName(named) : undefined;
}

/** The GitOps repository S's config names, or undefined (no config, invalid, or S itself). */
async function configuredTarget(
  scm: GitHubScm,
  ref: string,
): Promise<{ config: boolean; target?: RepoRef }> {
  const text = await scm.readFile(ref, DEFAULT_CONFIG_FILE);
  if (text === undefined) return { config: false };
  const loaded = loadConfig(text, DEFAULT_CONFIG_FILE);
  const named = loaded.ok ? loaded.config.target.repository : undefined;
  const target = named ? parseRepoName(named) : undefined;
  return { config: true, ...(target && !sameRepo(target, scm.repo) ? { target } : {}) };
}

/** The source named by the newest rollout PR of `scm`'s repository that names one. */
async function sourceFromRolloutPrs(scm: GitHubScm, logger: Logger): Promise<RepoRef | undefined> {
  const prs = await scm.findRolloutPrs([LABEL_PROMOTION, LABEL_REVERT]);
  for (const pr of [...prs].sort((a, b) => b.number - a.number)) {
    const meta = decodeState(pr.body, logger, { pr: pr.number });
    if (!meta) continue;
    const named = meta.source.repository ? parseRepoName(meta.source.repository) : undefined;
    return named;
  }
  return undefined;
}

/** Checks the installation can see the target; a failing config check on the push otherwise. */
async function checkTarget(
  input: ResolveInput,
  source: GitHubScm,
  target: RepoRef,
): Promise<{ ok: true; defaultBranch?: string } | { ok: false; reason: string }> {
  try {
    const { data } = await input.octokit.rest.repos.get({ owner: target.owner, repo: target.name });
    return { ok: true, ...(data.default_branch ? { defaultBranch: data.default_branch } : {}) };
  } catch (error) {
    const status = httpStatusOf(error);
    if (status !== 404 && status !== 403) throw error;
    const name = repoName(target);
    const reason = `the app cannot access ${name} (HTTP ${status}: ${githubMessageOf(error)}); install it on ${name} too`;
    input.logger.warn({ source: repoName(source.repo), target: name, status }, reason);
    if (input.hints.sha) {
      await source.setCheckRun({
        name: CONFIG_CHECK,
        headSha: input.hints.sha,
        status: "completed",
        conclusion: "failure",
        externalId: `config/${input.hints.sha}`,
        title: `target.repository ${name} is not accessible: no rollout`,
        summary: `\`${DEFAULT_CONFIG_FILE}\` sets \`target.repository: ${name}\`, but the GitHub App installation cannot see that repository (HTTP ${status}).\n\nInstall the app on **${name}** (the same installation as this repository), then push again or re-run this check.`,
      });
    }
    return { ok: false, reason };
  }
}

/**
 * Source and target for an event from `input.repo`. Reads, in order: the rollout state in the
 * payload, the repository's own config (through the cached clone), the remembered source, and
 * last the repository's rollout PRs. Same repository for both when nothing says otherwise.
 */
export async function resolveRepos(input: ResolveInput): Promise<Resolution> {
  const here = input.makeScm(input.repo);
  const pair = (source: RepoRef): Resolution =>
    sameRepo(source, input.repo)
      ? { ok: true, source: here, target: here }
      : { ok: true, source: input.makeScm(source), target: here };
  if (input.hints.prBody !== undefined) {
    const meta = decodeState(input.hints.prBody, input.logger);
    if (meta) return pair(sourceOfState(input.hints.prBody) ?? input.repo);
  }
  if (input.hints.defaultBranch) {
    const { config, target } = await configuredTarget(here, input.hints.defaultBranch);
    if (target && !input.hints.sha)
      return { ok: true, source: here, target: input.makeScm(target) };
    if (target) {
      const checked = await checkTarget(input, here, target);
      if (!checked.ok) return checked;
      return {
        ok: true,
        source: here,
        target: input.makeScm(target),
        ...(checked.defaultBranch ? { targetDefaultBranch: checked.defaultBranch } : {}),
      };
    }
    if (config) return { ok: true, source: here, target: here };
    if (input.knownSource) return pair(input.knownSource);
    return pair((await sourceFromRolloutPrs(here, input.logger)) ?? input.repo);
  }
  return pair(input.knownSource ?? input.repo);
}
