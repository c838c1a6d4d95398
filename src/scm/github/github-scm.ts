/**
 * The SCM port over GitHub: Octokit (built per event from `context.octokit`, no global client)
 * for pull requests, labels, comments, reactions, check runs and permissions; a cached git clone
 * for file reads, ancestry and pushes. Faithful reads and idempotent writes, no policy.
 */
import type { ProbotOctokit } from "probot";
import { type Logger, silentLogger } from "../../util/logger.js";
import {
  type CheckRun,
  type CheckRunSpec,
  type CommentOptions,
  commentText,
  type MergeOutcome,
  type Permission,
  type PullRequest,
  type PullRequestSpec,
  type Reaction,
  type RepoRef,
  type ScmPort,
  type SourceChange,
} from "../port.js";
import { listPullsConditionally } from "./conditional-requests.js";
import { countOctokitCalls } from "./count-octokit-calls.js";
import { ensureLabels } from "./ensure-labels.js";
import { type GitCheckout, gitRemoteUrl, type OpenCheckout } from "./git-checkout.js";
import { findCheckRun, setCheckRun } from "./github-check-runs.js";
import { githubMessageOf, httpStatusOf, isAlreadyExists } from "./github-errors.js";
import { type GitHubScmCache, sharedGitHubScmCache } from "./github-scm-cache.js";
import { type GitHubPull, toPullRequest } from "./pull-request-mapper.js";

export interface GitHubScmOptions {
  octokit: ProbotOctokit;
  repo: RepoRef;
  openCheckout: OpenCheckout;
  logger?: Logger;
  cache?: GitHubScmCache;
  /** `GHE_HOST` / `GHE_PROTOCOL` for the git remote URL; defaults to `process.env`. */
  env?: { GHE_HOST?: string; GHE_PROTOCOL?: string };
}

const DAY_MS = 86_400_000;
const ROLE_NAMES: readonly Permission[] = ["admin", "maintain", "write", "triage", "read", "none"];

export class GitHubScm implements ScmPort {
  readonly repo: RepoRef;
  private readonly octokit: ProbotOctokit;
  private readonly openCheckout: OpenCheckout;
  private readonly logger: Logger;
  private readonly cache: GitHubScmCache;
  private readonly env: { GHE_HOST?: string; GHE_PROTOCOL?: string };
  private checkout?: Promise<GitCheckout>;

  constructor(options: GitHubScmOptions) {
    this.octokit = options.octokit;
    this.repo = options.repo;
    this.openCheckout = options.openCheckout;
    this.logger = options.logger ?? silentLogger;
    this.cache = options.cache ?? sharedGitHubScmCache;
    this.env = options.env ?? process.env;
    countOctokitCalls(this.octokit);
  }

  private get params(): { owner: string; repo: string } {
    return { owner: this.repo.owner, repo: this.repo.name };
  }

  private get repoKey(): string {
    return `${this.env.GHE_HOST ?? "github.com"}/${this.repo.owner}/${this.repo.name}`;
  }

  /** The clone, opened once per adapter with the installation token (never in the URL). */
  private git(): Promise<GitCheckout> {
    this.checkout ??= (async () => {
      const auth = (await this.octokit.auth({ type: "installation" })) as { token?: string };
      if (!auth.token) throw new Error("GitHub did not return an installation token");
      return this.openCheckout({ url: gitRemoteUrl(this.repo, this.env), token: auth.token });
    })();
    return this.checkout;
  }

  async findRolloutPrs(labels: string[], sinceDays = 14): Promise<PullRequest[]> {
    const wanted = new Set(labels);
    const matches = (pull: GitHubPull) =>
      pull.labels.some((l) => wanted.has(typeof l === "string" ? l : (l.name ?? "")));
    const scope = { owner: this.repo.owner, repo: this.repo.name, per_page: 100 };
    const open = await listPullsConditionally(
      this.octokit,
      { ...scope, state: "open" },
      this.cache,
    );
    const cutoff = Date.now() - sinceDays * DAY_MS;
    // Closed pulls newest-updated first; stop paging once past the window.
    const closed = await listPullsConditionally(
      this.octokit,
      { ...scope, state: "closed", sort: "updated", direction: "desc" },
      this.cache,
      (page) => {
        const last = page.at(-1);
        return last !== undefined && Date.parse(last.updated_at) < cutoff;
      },
    );
    const recent = closed.filter((pull) => Date.parse(pull.updated_at) >= cutoff);
    return [...open, ...recent].filter(matches).map(toPullRequest);
  }

  async getPullRequest(number: number): Promise<PullRequest | undefined> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ ...this.params, pull_number: number });
      return toPullRequest(data);
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async openPullFor(branch: string): Promise<GitHubPull | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.params,
      state: "open",
      head: `${this.repo.owner}:${branch}`,
      per_page: 1,
    });
    return data[0];
  }

  async ensurePullRequest(spec: PullRequestSpec): Promise<PullRequest> {
    const existing = await this.openPullFor(spec.branch);
    if (existing) {
      const pr = toPullRequest(existing);
      const missing = spec.labels.filter((label) => !pr.labels.includes(label));
      if (missing.length > 0) {
        await this.setLabels(pr.number, missing, []);
        pr.labels.push(...missing);
      }
      return pr;
    }
    const git = await this.git();
    await git.commitAndPush({
      base: spec.commit.baseSha ?? spec.base,
      branch: spec.branch,
      message: spec.commit.message,
      changes: spec.commit.changes,
      // The branch name is deterministic; a leftover from an earlier attempt is replaced.
      force: true,
    });
    let created: GitHubPull;
    try {
      const { data } = await this.octokit.rest.pulls.create({
        ...this.params,
        head: spec.branch,
        base: spec.base,
        title: spec.title,
        body: spec.body,
        maintainer_can_modify: false,
      });
      created = data;
    } catch (error) {
      // Another replica or a redelivered event opened it in between: adopt that one.
      const raced = isAlreadyExists(error) ? await this.openPullFor(spec.branch) : undefined;
      if (!raced) throw error;
      created = raced;
    }
    const pr = toPullRequest(created);
    if (spec.labels.length > 0) {
      await this.setLabels(pr.number, spec.labels, []);
      pr.labels = [...new Set([...pr.labels, ...spec.labels])];
    }
    this.logger.info({ pr: pr.number, branch: spec.branch }, "pull request opened");
    return pr;
  }

  async mergePullRequest(
    number: number,
    expectedHeadSha: string,
    message: string,
  ): Promise<MergeOutcome> {
    const [title, ...rest] = message.split("\n");
    try {
      const { data } = await this.octokit.rest.pulls.merge({
        ...this.params,
        pull_number: number,
        sha: expectedHeadSha,
        merge_method: "merge",
        commit_title: title ?? message,
        commit_message: rest.join("\n").trim(),
      });
      return { status: "merged", sha: data.sha };
    } catch (error) {
      const status = httpStatusOf(error);
      const reason = githubMessageOf(error);
      if (status === 409) return { status: "head-moved", reason };
      if (status === 422) return { status: "conflict", reason };
      if (status === 405) {
        const { data } = await this.octokit.rest.pulls.get({ ...this.params, pull_number: number });
        if (data.merged && data.merge_commit_sha) {
          return { status: "already-merged", sha: data.merge_commit_sha };
        }
        if (data.mergeable_state === "dirty") return { status: "conflict", reason };
        return { status: "blocked", reason };
      }
      throw error;
    }
  }

  async closePullRequest(number: number): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.params, pull_number: number, state: "closed" });
  }

  async updatePullRequestBody(number: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.update({ ...this.params, pull_number: number, body });
  }

  async setLabels(number: number, add: string[], remove: string[]): Promise<void> {
    if (add.length > 0) {
      await ensureLabels(this.octokit, this.params, this.repoKey, add, this.cache);
      await this.octokit.rest.issues.addLabels({
        ...this.params,
        issue_number: number,
        labels: add,
      });
    }
    for (const name of remove) {
      try {
        await this.octokit.rest.issues.removeLabel({ ...this.params, issue_number: number, name });
      } catch (error) {
        if (httpStatusOf(error) !== 404) throw error;
      }
    }
  }

  async comment(number: number, body: string, options: CommentOptions = {}): Promise<void> {
    const existing = options.once
      ? await this.octokit.paginate(this.octokit.rest.issues.listComments, {
          ...this.params,
          issue_number: number,
          per_page: 100,
        })
      : [];
    const text = commentText(body, options, () =>
      existing.map((c) => ({ author: c.user?.login, body: c.body ?? "" })),
    );
    if (text === undefined) return;
    await this.octokit.rest.issues.createComment({
      ...this.params,
      issue_number: number,
      body: text,
    });
  }

  async react(commentId: number, reaction: Reaction): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({
      ...this.params,
      comment_id: commentId,
      content: reaction,
    });
  }

  findCheckRun(name: string, headSha: string): Promise<CheckRun | undefined> {
    return findCheckRun(this.octokit, this.params, name, headSha, this.cache);
  }

  setCheckRun(spec: CheckRunSpec): Promise<CheckRun> {
    return setCheckRun(this.octokit, this.params, this.repoKey, spec, this.cache, this.env);
  }

  async permission(login: string): Promise<Permission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({
        ...this.params,
        username: login,
      });
      const role = (data as { role_name?: string }).role_name as Permission | undefined;
      if (role && ROLE_NAMES.includes(role)) return role;
      const permission = data.permission as Permission;
      return ROLE_NAMES.includes(permission) ? permission : "none";
    } catch (error) {
      if (httpStatusOf(error) === 404) return "none";
      throw error;
    }
  }

  async isTeamMember(team: string, login: string): Promise<boolean> {
    const [org, slug] = team.includes("/") ? team.split("/", 2) : [this.repo.owner, team];
    try {
      const { data } = await this.octokit.rest.teams.getMembershipForUserInOrg({
        org: org ?? this.repo.owner,
        team_slug: slug ?? team,
        username: login,
      });
      return data.state === "active";
    } catch (error) {
      if (httpStatusOf(error) === 404) return false;
      throw error;
    }
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    return (await this.git()).readFile(ref, path);
  }

  async branchHead(branch: string): Promise<string> {
    const git = await this.git();
    await git.fetch(branch);
    return git.headOf(branch);
  }

  /**
   * Paths a push changed, from git (a push event lists at most 20 commits). Undefined when the
   * checkout cannot tell.
   */
  async changedPaths(before: string | undefined, after: string): Promise<string[] | undefined> {
    const git = await this.git();
    return git.changedPaths ? git.changedPaths(before, after) : undefined;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.git()).isAncestor(ancestor, descendant);
  }

  async describeSourceChange(sha: string): Promise<SourceChange> {
    const { data: pulls } = await this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...this.params,
      commit_sha: sha,
    });
    const merged =
      pulls.find((pull) => pull.merged_at && pull.merge_commit_sha === sha) ??
      pulls.find((pull) => pull.merged_at);
    if (merged) {
      return {
        sha,
        title: merged.title,
        author: merged.user?.login ?? "ghost",
        url: merged.html_url,
        pullRequest: merged.number,
      };
    }
    const { data: commit } = await this.octokit.rest.repos.getCommit({ ...this.params, ref: sha });
    return {
      sha,
      title: commit.commit.message.split("\n")[0] ?? sha,
      author: commit.author?.login ?? commit.commit.author?.name ?? "unknown",
      url: commit.html_url,
    };
  }
}
