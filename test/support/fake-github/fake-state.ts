/**
 * The fake GitHub's in-memory state and the JSON it answers with. Every JSON builder's return
 * type is a `Pick` of the REST API's own schema (`@octokit/openapi-types`, the types Octokit's
 * methods return), so a response shape that drifts from the real API fails to compile.
 */
import type { components } from "@octokit/openapi-types";

type S = components["schemas"];

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

export interface FakePull {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  head: string;
  headSha: string;
  base: string;
  baseSha: string;
  state: "open" | "closed";
  merged: boolean;
  mergeCommitSha: string | null;
  mergedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  labels: string[];
  user: FakeUser;
  mergeableState: "clean" | "dirty" | "blocked";
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  reactions: { content: string; user: string }[];
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  externalId: string;
  detailsUrl: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations: unknown[];
  };
  actions: { label: string; identifier: string; description: string }[];
  startedAt: string;
  completedAt: string | null;
  /** Every create/update body, for assertions. */
  history: Record<string, unknown>[];
}

export type PullJson = Pick<
  S["pull-request"],
  | "id"
  | "number"
  | "url"
  | "html_url"
  | "state"
  | "title"
  | "body"
  | "merged"
  | "merge_commit_sha"
  | "merged_at"
  | "closed_at"
  | "created_at"
  | "updated_at"
  | "mergeable_state"
  | "draft"
> & {
  head: Pick<S["pull-request"]["head"], "ref" | "sha" | "label">;
  base: Pick<S["pull-request"]["base"], "ref" | "sha" | "label">;
  labels: Pick<S["label"], "id" | "name" | "color" | "default">[];
  user: Pick<S["simple-user"], "login" | "id" | "type">;
};

export function userJson(user: FakeUser): Pick<S["simple-user"], "login" | "id" | "type"> {
  return { login: user.login, id: user.id, type: user.type };
}

export function pullJson(web: string, api: string, p: FakePull): PullJson {
  return {
    id: p.number * 1000,
    number: p.number,
    url: `${api}/repos/${p.owner}/${p.repo}/pulls/${p.number}`,
    html_url: `${web}/${p.owner}/${p.repo}/pull/${p.number}`,
    state: p.state,
    title: p.title,
    body: p.body,
    merged: p.merged,
    merge_commit_sha: p.mergeCommitSha,
    merged_at: p.mergedAt,
    closed_at: p.closedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    mergeable_state: p.mergeableState,
    draft: false,
    head: { ref: p.head, sha: p.headSha, label: `${p.owner}:${p.head}` },
    base: { ref: p.base, sha: p.baseSha, label: `${p.owner}:${p.base}` },
    labels: p.labels.map((name) => labelJson(name)),
    user: userJson(p.user),
  };
}

export function labelJson(name: string): Pick<S["label"], "id" | "name" | "color" | "default"> {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return { id: hash, name, color: "ededed", default: false };
}

export type CheckRunJson = Pick<
  S["check-run"],
  | "id"
  | "name"
  | "head_sha"
  | "status"
  | "conclusion"
  | "external_id"
  | "details_url"
  | "started_at"
  | "completed_at"
> & {
  output: Pick<S["check-run"]["output"], "title" | "summary" | "text">;
  app: Pick<NonNullable<S["check-run"]["app"]>, "id" | "slug">;
};

export function checkRunJson(run: FakeCheckRun, app: { id: number; slug: string }): CheckRunJson {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion as CheckRunJson["conclusion"],
    external_id: run.externalId,
    details_url: run.detailsUrl,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { title: run.output.title, summary: run.output.summary, text: run.output.text },
    app: { id: app.id, slug: app.slug },
  };
}

export function commentJson(
  web: string,
  owner: string,
  repo: string,
  c: FakeComment,
): Pick<S["issue-comment"], "id" | "body" | "html_url" | "created_at" | "updated_at"> & {
  user: Pick<S["simple-user"], "login" | "id" | "type">;
} {
  return {
    id: c.id,
    body: c.body,
    html_url: `${web}/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    created_at: c.createdAt,
    updated_at: c.createdAt,
    user: userJson(c.user),
  };
}

export function permissionJson(
  login: string,
  permission: string,
): Pick<S["repository-collaborator-permission"], "permission" | "role_name"> & {
  user: { login: string };
} {
  return { permission, role_name: permission, user: { login } };
}

export function teamMembershipJson(
  state: "active" | "pending",
): Pick<S["team-membership"], "state" | "role" | "url"> {
  return { state, role: "member", url: "" };
}

export function installationTokenJson(
  token: string,
  expiresAt: string,
): Pick<S["installation-token"], "token" | "expires_at" | "repository_selection"> {
  return { token, expires_at: expiresAt, repository_selection: "all" };
}
