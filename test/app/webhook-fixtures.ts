/**
 * Webhook payloads for `probot.receive`, taken from `@octokit/webhooks-examples` (GitHub's own
 * recorded examples) and adjusted per test, typed with `@octokit/webhooks-types`.
 */
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type {
  CheckRunRequestedActionEvent,
  CheckRunRerequestedEvent,
  CheckSuiteEvent,
  IssueCommentEvent,
  PullRequestClosedEvent,
  PushEvent,
  StatusEvent,
  WebhookEventName,
} from "@octokit/webhooks-types";

const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples",
) as WebhookDefinition[];

export const INSTALLATION_ID = 2;
export const OWNER = "acme";
export const REPO = "fleet";

function example<T>(name: WebhookEventName, pick: (payload: T) => boolean): T {
  const definition = examples.find((d) => d.name === name);
  const found = (definition?.examples as unknown as T[] | undefined)?.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

function inRepo<T extends { repository?: unknown; installation?: unknown }>(payload: T): T {
  const repository = payload.repository as {
    name: string;
    full_name: string;
    owner: { login: string; name?: string };
  };
  repository.name = REPO;
  (repository as { default_branch?: string }).default_branch = "main";
  repository.full_name = `${OWNER}/${REPO}`;
  repository.owner.login = OWNER;
  if ("name" in repository.owner) repository.owner.name = OWNER;
  (payload as { installation?: unknown }).installation = { id: INSTALLATION_ID, node_id: "x" };
  return payload;
}

export function pushPayload(change: {
  ref?: string;
  after?: string;
  before?: string;
  deleted?: boolean;
  sender?: string;
  files?: { added?: string[]; modified?: string[]; removed?: string[] }[];
  message?: string;
}): PushEvent {
  const p = inRepo(
    example<PushEvent>(
      "push",
      (e) => e.ref.startsWith("refs/heads/") && e.installation !== undefined,
    ),
  );
  p.ref = change.ref ?? "refs/heads/main";
  p.after = change.after ?? "1".repeat(40);
  p.before = change.before ?? "9".repeat(40);
  p.deleted = change.deleted ?? false;
  if (p.deleted) p.after = "0".repeat(40);
  p.repository.default_branch = "main";
  p.sender.login = change.sender ?? "alice";
  p.pusher.name = change.sender ?? "alice";
  const template = p.commits[0];
  if (!template) throw new Error("push example without commits");
  p.commits = (change.files ?? [{ modified: ["base/app.yaml"] }]).map((f, i) => ({
    ...template,
    id: String(i + 1)
      .repeat(40)
      .slice(0, 40),
    message: change.message ?? "change",
    added: f.added ?? [],
    modified: f.modified ?? [],
    removed: f.removed ?? [],
  }));
  if (p.head_commit) p.head_commit.message = change.message ?? "change";
  return p;
}

export function issueCommentPayload(comment: {
  action?: "created" | "edited" | "deleted";
  body: string;
  author?: string;
  authorType?: "User" | "Bot";
  onPullRequest?: boolean;
  prNumber?: number;
  commentId?: number;
}): IssueCommentEvent {
  const action = comment.action ?? "created";
  const p = inRepo(example<IssueCommentEvent>("issue_comment", (e) => e.action === action));
  p.issue.number = comment.prNumber ?? 5;
  if (comment.onPullRequest !== false) {
    (p.issue as { pull_request?: unknown }).pull_request = {
      url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${p.issue.number}`,
      html_url: "",
      diff_url: "",
      patch_url: "",
    };
  } else {
    delete (p.issue as { pull_request?: unknown }).pull_request;
  }
  p.comment.id = comment.commentId ?? 77;
  p.comment.body = comment.body;
  p.comment.user.login = comment.author ?? "alice";
  p.comment.user.type = comment.authorType ?? "User";
  p.sender.login = comment.author ?? "alice";
  return p;
}

export function checkRunPayload(
  action: "requested_action" | "rerequested",
  actor = "alice",
): CheckRunRequestedActionEvent | CheckRunRerequestedEvent {
  const p = inRepo(
    example<CheckRunRequestedActionEvent | CheckRunRerequestedEvent>(
      "check_run",
      (e) => e.action === action,
    ),
  );
  p.check_run.name = "waves / wave-2";
  p.check_run.head_sha = "2".repeat(40);
  if (p.action === "requested_action") p.requested_action = { identifier: "approve:wave-2" };
  p.sender.login = actor;
  return p;
}

export function pullRequestClosedPayload(): PullRequestClosedEvent {
  return inRepo(example<PullRequestClosedEvent>("pull_request", (e) => e.action === "closed"));
}

export function checkSuitePayload(): CheckSuiteEvent {
  return inRepo(
    example<CheckSuiteEvent>(
      "check_suite",
      (e) => e.action === "completed" || e.action === "requested",
    ),
  );
}

export function statusPayload(): StatusEvent {
  return inRepo(example<StatusEvent>("status", () => true));
}
