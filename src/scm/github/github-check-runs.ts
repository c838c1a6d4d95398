/**
 * Check runs found by name on a commit (`GET /repos/{o}/{r}/commits/{sha}/check-runs?check_name=`),
 * created or updated in place; output and actions kept within GitHub's limits.
 */
import type { ProbotOctokit } from "probot";
import type { CheckConclusion, CheckRun, CheckRunSpec, CheckStatus } from "../port.js";
import {
  limitActions,
  MAX_OUTPUT_CHARS,
  toGitHubAnnotations,
  truncateText,
} from "./check-run-limits.js";
import { conditionalGet } from "./conditional-requests.js";
import { gitRemoteUrl } from "./git-checkout.js";
import { httpStatusOf } from "./github-errors.js";
import type { GitHubScmCache } from "./github-scm-cache.js";

interface GitHubCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string | null;
  external_id?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null };
}

export function toCheckRun(run: GitHubCheckRun): CheckRun {
  return {
    id: run.id,
    name: run.name,
    headSha: run.head_sha,
    status: run.status as CheckStatus,
    ...(run.conclusion ? { conclusion: run.conclusion as CheckConclusion } : {}),
    ...(run.external_id ? { externalId: run.external_id } : {}),
    ...(run.output?.title ? { title: run.output.title } : {}),
    ...(run.output?.summary ? { summary: run.output.summary } : {}),
    ...(run.output?.text ? { text: run.output.text } : {}),
  };
}

export async function findCheckRun(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string },
  name: string,
  headSha: string,
  cache?: GitHubScmCache,
): Promise<CheckRun | undefined> {
  const query = {
    ...params,
    ref: headSha,
    check_name: name,
    filter: "latest" as const,
    per_page: 10,
  };
  const call = (headers: Record<string, string>) =>
    octokit.rest.checks.listForRef({
      ...query,
      ...(Object.keys(headers).length ? { headers } : {}),
    });
  // The reconcile tick looks its checks up often; unchanged answers come back as cheap 304s.
  const data = cache
    ? await conditionalGet(cache, `check-runs ${JSON.stringify(query)}`, call)
    : (await call({})).data;
  const run = data.check_runs.find((r) => r.name === name && r.head_sha === headSha);
  return run ? toCheckRun(run) : undefined;
}

/** The request body for create and update, within GitHub's limits. */
export function checkRunBody(spec: CheckRunSpec, repoUrl: string) {
  const completed = spec.status === "completed";
  const conclusion = completed ? (spec.conclusion ?? "neutral") : undefined;
  const actions = limitActions(spec.actions);
  const annotations = toGitHubAnnotations(spec.annotations);
  // GitHub wants somewhere to send people when it asks for action.
  const detailsUrl = spec.detailsUrl ?? (conclusion === "action_required" ? repoUrl : undefined);
  return {
    name: spec.name,
    status: spec.status,
    ...(conclusion ? { conclusion } : {}),
    external_id: spec.externalId,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: {
      title: truncateText(spec.title, 1_000, "…"),
      summary: truncateText(spec.summary, MAX_OUTPUT_CHARS),
      ...(spec.text !== undefined ? { text: truncateText(spec.text, MAX_OUTPUT_CHARS) } : {}),
      ...(annotations ? { annotations } : {}),
    },
    ...(actions ? { actions } : {}),
  };
}

export async function setCheckRun(
  octokit: ProbotOctokit,
  params: { owner: string; repo: string },
  repoKey: string,
  spec: CheckRunSpec,
  cache: GitHubScmCache,
  env: { GHE_HOST?: string; GHE_PROTOCOL?: string },
): Promise<CheckRun> {
  const repoUrl = gitRemoteUrl({ owner: params.owner, name: params.repo }, env).replace(
    /\.git$/,
    "",
  );
  const body = checkRunBody(spec, repoUrl);
  const id =
    cache.checkRunId(repoKey, spec.name, spec.headSha) ??
    (await findCheckRun(octokit, params, spec.name, spec.headSha, cache))?.id;
  if (id !== undefined) {
    try {
      const { data } = await octokit.rest.checks.update({ ...params, check_run_id: id, ...body });
      cache.rememberCheckRun(repoKey, spec.name, spec.headSha, data.id);
      return toCheckRun(data);
    } catch (error) {
      if (httpStatusOf(error) !== 404) throw error;
      cache.forgetCheckRun(repoKey, spec.name, spec.headSha);
    }
  }
  const { data } = await octokit.rest.checks.create({ ...params, head_sha: spec.headSha, ...body });
  cache.rememberCheckRun(repoKey, spec.name, spec.headSha, data.id);
  return toCheckRun(data);
}
