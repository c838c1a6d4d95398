/**
 * Named nock helpers for the GitHub REST API, so adapter tests read as what GitHub is asked and
 * answers. Every helper registers exactly one interceptor; tests assert `nock.isDone()`.
 */
import nock from "nock";

export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "fleet";
const R = `/repos/${OWNER}/${REPO}`;

export function github(): nock.Scope {
  return nock(API);
}

export interface PullFixture {
  number: number;
  branch: string;
  state?: "open" | "closed";
  merged?: boolean;
  headSha?: string;
  labels?: string[];
  body?: string;
  title?: string;
  updatedAt?: string;
  author?: string;
}

export function pullJson(p: PullFixture) {
  const merged = p.merged === true;
  return {
    number: p.number,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${p.number}`,
    state: p.state ?? (merged ? "closed" : "open"),
    title: p.title ?? `bump ${p.branch}`,
    body: p.body ?? "",
    head: { ref: p.branch, sha: p.headSha ?? "a".repeat(40) },
    base: { ref: "main", sha: "b".repeat(40) },
    merged,
    merge_commit_sha: merged ? "c".repeat(40) : null,
    merged_at: merged ? "2026-01-01T00:10:00Z" : null,
    mergeable_state: "clean",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: p.updatedAt ?? "2026-01-01T00:00:00Z",
    labels: (p.labels ?? []).map((name, i) => ({ id: i + 1, name })),
    user: { login: p.author ?? "waves[bot]", type: "Bot" },
  };
}

export function mockAppAuthenticated(slug = "waves") {
  return github().get("/app").reply(200, { id: 1, slug, name: slug });
}

export function mockAccessToken(installationId: number, token: string) {
  return github()
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, {
      token,
      expires_at: "2999-01-01T00:00:00Z",
      permissions: { contents: "write", pull_requests: "write" },
      repository_selection: "all",
    });
}

export function mockListOpenPullsForBranch(branch: string, pulls: PullFixture[]) {
  return github()
    .get(`${R}/pulls`)
    .query({ state: "open", head: `${OWNER}:${branch}`, per_page: "1" })
    .reply(200, pulls.map(pullJson));
}

export function mockListPulls(state: "open" | "closed", pulls: PullFixture[], etag?: string) {
  const query =
    state === "open"
      ? { state, per_page: "100", page: "1" }
      : { state, sort: "updated", direction: "desc", per_page: "100", page: "1" };
  return github()
    .get(`${R}/pulls`)
    .query(query)
    .reply(200, pulls.map(pullJson), etag ? { etag } : {});
}

/** GitHub's answer to `If-None-Match` with the page's current ETag: nothing changed. */
export function mockListPullsNotModified(state: "open" | "closed", etag: string) {
  return github()
    .get(`${R}/pulls`)
    .query((q) => q.state === state)
    .matchHeader("if-none-match", etag)
    .reply(304, "", { etag });
}

export function mockCreatePr(
  pull: PullFixture,
  expectBody?: (body: Record<string, unknown>) => boolean,
) {
  return github()
    .post(`${R}/pulls`, (body) => (expectBody ? expectBody(body) : true))
    .reply(201, pullJson(pull));
}

export function mockCreatePrAlreadyExists() {
  return github()
    .post(`${R}/pulls`)
    .reply(422, {
      message: "Validation Failed",
      errors: [
        {
          resource: "PullRequest",
          code: "custom",
          message: "A pull request already exists for acme:x.",
        },
      ],
    });
}

export function mockGetPr(pull: PullFixture) {
  return github().get(`${R}/pulls/${pull.number}`).reply(200, pullJson(pull));
}

export function mockGetPrNotFound(number: number) {
  return github().get(`${R}/pulls/${number}`).reply(404, { message: "Not Found" });
}

export function mockUpdatePr(number: number, expect: Record<string, unknown>) {
  return github()
    .patch(`${R}/pulls/${number}`, (body: Record<string, unknown>) =>
      Object.entries(expect).every(([key, value]) => body[key] === value),
    )
    .reply(200, pullJson({ number, branch: "x" }));
}

export function mockMerge(
  number: number,
  sha: string,
  status: number,
  body: Record<string, unknown>,
) {
  return github()
    .put(`${R}/pulls/${number}/merge`, (b) => b.sha === sha && b.merge_method === "merge")
    .reply(status, body);
}

export function mockCreateLabel(name: string, status: 201 | 422 = 201) {
  return github()
    .post(`${R}/labels`, (b) => b.name === name)
    .reply(
      status,
      status === 201
        ? { id: 1, name, color: "1d76db" }
        : {
            message: "Validation Failed",
            errors: [{ resource: "Label", code: "already_exists", field: "name" }],
          },
    );
}

export function mockAddLabels(number: number, labels: string[]) {
  return github()
    .post(`${R}/issues/${number}/labels`, { labels })
    .reply(
      200,
      labels.map((name, id) => ({ id, name })),
    );
}

export function mockRemoveLabel(number: number, name: string, status = 200) {
  return github()
    .delete(`${R}/issues/${number}/labels/${encodeURIComponent(name)}`)
    .reply(status, status === 200 ? [] : { message: "Label does not exist" });
}

export function mockComment(number: number, match: (body: string) => boolean = () => true) {
  return github()
    .post(`${R}/issues/${number}/comments`, (b) => match(String(b.body)))
    .reply(201, { id: 900, body: "" });
}

/** The comments already on a PR (read before a comment that must be posted only once). */
export function mockListComments(
  number: number,
  comments: { body: string; login: string }[] = [],
  repoPath = R,
) {
  return github()
    .get(`${repoPath}/issues/${number}/comments`)
    .query({ per_page: "100" })
    .reply(
      200,
      comments.map((c, i) => ({
        id: 800 + i,
        body: c.body,
        user: { login: c.login, type: "Bot" },
      })),
    );
}

export function mockReaction(commentId: number, content: string) {
  return github()
    .post(`${R}/issues/comments/${commentId}/reactions`, { content })
    .reply(201, { id: 1, content });
}

export interface CheckRunFixture {
  id: number;
  name: string;
  headSha: string;
  status?: string;
  conclusion?: string | null;
  externalId?: string;
  summary?: string;
}

export function checkRunJson(c: CheckRunFixture) {
  return {
    id: c.id,
    name: c.name,
    head_sha: c.headSha,
    status: c.status ?? "in_progress",
    conclusion: c.conclusion ?? null,
    external_id: c.externalId ?? "",
    output: { title: "t", summary: c.summary ?? "s", text: null },
    app: { id: 1, slug: "waves" },
  };
}

export function mockListCheckRuns(
  headSha: string,
  name: string,
  runs: CheckRunFixture[],
  etag?: string,
) {
  return github()
    .get(`${R}/commits/${headSha}/check-runs`)
    .query({ check_name: name, filter: "latest", per_page: "10" })
    .reply(
      200,
      { total_count: runs.length, check_runs: runs.map(checkRunJson) },
      etag ? { etag } : {},
    );
}

export function mockListCheckRunsNotModified(headSha: string, name: string, etag: string) {
  return github()
    .get(`${R}/commits/${headSha}/check-runs`)
    .query({ check_name: name, filter: "latest", per_page: "10" })
    .matchHeader("if-none-match", etag)
    .reply(304, "", { etag });
}

export function mockCreateCheckRun(
  run: CheckRunFixture,
  match: (body: Record<string, unknown>) => boolean = () => true,
) {
  return github().post(`${R}/check-runs`, match).reply(201, checkRunJson(run));
}

export function mockUpdateCheckRun(
  run: CheckRunFixture,
  match: (body: Record<string, unknown>) => boolean = () => true,
) {
  return github().patch(`${R}/check-runs/${run.id}`, match).reply(200, checkRunJson(run));
}

export function mockPermission(login: string, permission: string, roleName?: string) {
  return github()
    .get(`${R}/collaborators/${login}/permission`)
    .reply(200, { permission, role_name: roleName ?? permission, user: { login } });
}

export function mockPermissionNotFound(login: string) {
  return github()
    .get(`${R}/collaborators/${login}/permission`)
    .reply(404, { message: "Not Found" });
}

export function mockTeamMembership(
  org: string,
  slug: string,
  login: string,
  state: "active" | "pending" | 404,
) {
  const scope = github().get(`/orgs/${org}/teams/${slug}/memberships/${login}`);
  return state === 404
    ? scope.reply(404, { message: "Not Found" })
    : scope.reply(200, { state, role: "member", url: "" });
}

export function mockCommitPulls(sha: string, pulls: PullFixture[]) {
  return github().get(`${R}/commits/${sha}/pulls`).reply(200, pulls.map(pullJson));
}

export function mockGetCommit(sha: string, message: string, login: string | null) {
  return github()
    .get(`${R}/commits/${sha}`)
    .reply(200, {
      sha,
      html_url: `https://github.com/${OWNER}/${REPO}/commit/${sha}`,
      commit: {
        message,
        author: { name: "Dev", email: "dev@example.com", date: "2026-01-01T00:00:00Z" },
      },
      author: login ? { login } : null,
    });
}

export function mockInstallations(ids: number[]) {
  return github()
    .get("/app/installations")
    .query({ per_page: "100" })
    .reply(
      200,
      ids.map((id) => ({ id, account: { login: OWNER } })),
    );
}

export function mockInstallationRepos(repos: string[]) {
  return github()
    .get("/installation/repositories")
    .query({ per_page: "100" })
    .reply(200, {
      total_count: repos.length,
      repositories: repos.map((name, id) => ({
        id,
        name,
        full_name: `${OWNER}/${name}`,
        owner: { login: OWNER },
      })),
    });
}

export function mockIssuesWithLabel(repo: string, label: string, count: number) {
  return github()
    .get(`/repos/${OWNER}/${repo}/issues`)
    .query((q) => q.labels === label && q.state === "all" && q.per_page === "1")
    .reply(
      200,
      Array.from({ length: count }, (_, i) => ({ number: i + 1, title: "x" })),
    );
}

/** Fails the test with the list of interceptors nobody called. */
export function assertAllMocksUsed(): void {
  const pending = nock.pendingMocks();
  if (pending.length > 0) throw new Error(`unused GitHub mocks:\n${pending.join("\n")}`);
}

/** Collects requests no interceptor matched; `assertNoUnmatched()` fails on any. */
const unmatched: string[] = [];
nock.emitter.on(
  "no match",
  (req: { method?: string; path?: string; href?: string; hostname?: string; host?: string }) => {
    const where = req.href ?? `${req.hostname ?? req.host ?? ""}${req.path ?? ""}`;
    // Loopback servers the tests start themselves pass through nock on purpose.
    if (/^(https?:\/\/)?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(where)) return;
    unmatched.push(`${req.method ?? "?"} ${where}`);
  },
);

export function assertNoUnmatched(): void {
  const seen = unmatched.splice(0);
  if (seen.length > 0) throw new Error(`unmatched GitHub requests:\n${seen.join("\n")}`);
}

/** For afterEach: both strictness checks, then a clean slate. */
export function assertStrictMocks(): void {
  try {
    assertNoUnmatched();
    assertAllMocksUsed();
  } finally {
    nock.cleanAll();
  }
}
