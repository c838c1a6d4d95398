/**
 * Webhook payloads the fake sends, typed as `Pick`s of `@octokit/webhooks-types` so their shape
 * follows GitHub's published webhook schema.
 */
import type {
  CheckRunRequestedActionEvent,
  DeleteEvent,
  IssueCommentCreatedEvent,
  PullRequestClosedEvent,
  PushEvent,
} from "@octokit/webhooks-types";
import type { FakeGitHub, FakeRepo } from "./fake-github.js";
import type { FakeCheckRun, FakeComment, FakePull, FakeUser } from "./fake-state.js";

type RepoJson = Pick<
  PushEvent["repository"],
  "id" | "name" | "full_name" | "private" | "html_url" | "default_branch" | "delete_branch_on_merge"
> & { owner: Pick<PushEvent["repository"]["owner"], "login" | "id" | "type"> & { name: string } };

export function repositoryJson(fake: FakeGitHub, repo: FakeRepo): RepoJson {
  const owner = fake.user(repo.owner);
  return {
    id: repo.id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: true,
    html_url: `${fake.baseUrl}/${repo.owner}/${repo.name}`,
    default_branch: repo.defaultBranch,
    delete_branch_on_merge: repo.deleteBranchOnMerge,
    owner: { login: repo.owner, name: repo.owner, id: owner.id, type: "Organization" },
  };
}

function senderJson(user: FakeUser): Pick<PushEvent["sender"], "login" | "id" | "type"> {
  return { login: user.login, id: user.id, type: user.type };
}

type CommitJson = Pick<
  PushEvent["commits"][number],
  "id" | "tree_id" | "distinct" | "message" | "timestamp" | "url" | "added" | "removed" | "modified"
> & {
  author: { name: string; email: string; username?: string };
  committer: { name: string; email: string };
};

type PushJson = Pick<
  PushEvent,
  "ref" | "before" | "after" | "created" | "deleted" | "forced" | "base_ref" | "compare"
> & {
  commits: CommitJson[];
  head_commit: CommitJson | null;
  repository: RepoJson;
  pusher: { name: string; email: string };
  sender: ReturnType<typeof senderJson>;
  installation: { id: number };
};

const ZERO = "0".repeat(40);

async function push(
  fake: FakeGitHub,
  repo: FakeRepo,
  ref: string,
  before: string | undefined,
  after: string | undefined,
  sender: FakeUser,
): Promise<PushJson> {
  const shas = after ? (await repo.git.newCommits(before, after, ref)).slice(-20) : [];
  const commits: CommitJson[] = [];
  for (const sha of shas) {
    const info = await repo.git.commitInfo(sha);
    const files = await repo.git.changedFiles(sha);
    const username = fake.loginForEmail(info.author.email);
    commits.push({
      id: sha,
      tree_id: sha,
      distinct: true,
      message: info.message,
      timestamp: info.date,
      url: `${fake.baseUrl}/${repo.owner}/${repo.name}/commit/${sha}`,
      author: { ...info.author, ...(username ? { username } : {}) },
      committer: info.author,
      ...files,
    });
  }
  return {
    ref,
    before: before ?? ZERO,
    after: after ?? ZERO,
    created: !before,
    deleted: !after,
    forced: false,
    base_ref: null,
    compare: `${fake.baseUrl}/${repo.owner}/${repo.name}/compare/${before ?? ZERO}...${after ?? ZERO}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    repository: repositoryJson(fake, repo),
    pusher: { name: sender.login, email: fake.identity(sender.login).email },
    sender: senderJson(sender),
    installation: { id: fake.installationId },
  };
}

function pullRequest(
  fake: FakeGitHub,
  repo: FakeRepo,
  pr: FakePull,
  sender: FakeUser,
  action: "opened" | "closed",
): Pick<PullRequestClosedEvent, "number"> & { action: string; [key: string]: unknown } {
  return {
    action,
    number: pr.number,
    pull_request: fakePullJson(fake, pr),
    repository: repositoryJson(fake, repo),
    sender: senderJson(sender),
    installation: { id: fake.installationId },
  };
}

function fakePullJson(fake: FakeGitHub, pr: FakePull) {
  return {
    number: pr.number,
    html_url: `${fake.baseUrl}/${pr.owner}/${pr.repo}/pull/${pr.number}`,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    merged: pr.merged,
    merge_commit_sha: pr.mergeCommitSha,
    merged_at: pr.mergedAt,
    head: { ref: pr.head, sha: pr.headSha },
    base: { ref: pr.base, sha: pr.baseSha },
    labels: pr.labels.map((name) => ({ name })),
    user: senderJson(pr.user),
  };
}

function issueComment(
  fake: FakeGitHub,
  repo: FakeRepo,
  pr: FakePull | undefined,
  comment: FakeComment,
  action: "created" | "edited",
): Pick<IssueCommentCreatedEvent, never> & { action: string; [key: string]: unknown } {
  return {
    action,
    issue: {
      number: comment.issue,
      title: pr?.title ?? "",
      state: pr?.state ?? "open",
      labels: (pr?.labels ?? []).map((name) => ({ name })),
      user: senderJson(pr?.user ?? fake.bot),
      ...(pr
        ? {
            pull_request: {
              url: `${fake.apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`,
            },
          }
        : {}),
    },
    comment: {
      id: comment.id,
      body: comment.body,
      user: senderJson(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.createdAt,
      html_url: `${fake.baseUrl}/${repo.owner}/${repo.name}/pull/${comment.issue}#issuecomment-${comment.id}`,
    },
    repository: repositoryJson(fake, repo),
    sender: senderJson(comment.user),
    installation: { id: fake.installationId },
  };
}

function checkRun(
  fake: FakeGitHub,
  repo: FakeRepo,
  run: FakeCheckRun,
  sender: FakeUser,
  action: "requested_action" | "rerequested",
  identifier?: string,
): Pick<CheckRunRequestedActionEvent, never> & { action: string; [key: string]: unknown } {
  return {
    action,
    check_run: {
      id: run.id,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      external_id: run.externalId,
      app: { id: fake.appId, slug: fake.appSlug },
    },
    ...(action === "requested_action"
      ? { requested_action: { identifier: identifier ?? "" } }
      : {}),
    repository: repositoryJson(fake, repo),
    sender: senderJson(sender),
    installation: { id: fake.installationId },
  };
}

/** The `delete` event GitHub sends when a branch is deleted (also by auto-delete on merge). */
function branchDeleted(
  fake: FakeGitHub,
  repo: FakeRepo,
  branch: string,
  sender: FakeUser,
): Pick<DeleteEvent, "ref" | "ref_type" | "pusher_type"> & { [key: string]: unknown } {
  return {
    ref: branch,
    ref_type: "branch",
    pusher_type: "user",
    repository: repositoryJson(fake, repo),
    sender: senderJson(sender),
    installation: { id: fake.installationId },
  };
}

export const userEvents = { push, pullRequest, issueComment, checkRun, branchDeleted };
