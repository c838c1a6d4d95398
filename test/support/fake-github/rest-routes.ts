/** The REST subset the app uses, over the fake's in-memory state and bare repositories. */
import type { FakeGitHub, FakeRepo } from "./fake-github.js";
import {
  type Caller,
  notFound,
  paginate,
  type Route,
  type RouteRequest,
  type RouteResponse,
  route,
  validationFailed,
} from "./fake-router.js";
import {
  checkRunJson,
  commentJson,
  type FakeCheckRun,
  installationTokenJson,
  labelJson,
  permissionJson,
  pullJson,
  teamMembershipJson,
} from "./fake-state.js";

const MAX_TEXT = 65_535;

export function restRoutes(fake: FakeGitHub): Route[] {
  const repoOf = (r: RouteRequest): FakeRepo | undefined =>
    fake.repos.get(`${r.params.owner}/${r.params.repo}`.toLowerCase());
  const withRepo =
    (handler: (repo: FakeRepo, r: RouteRequest) => Promise<RouteResponse> | RouteResponse) =>
    (r: RouteRequest) => {
      const repo = repoOf(r);
      return repo ? handler(repo, r) : notFound();
    };
  const self = (r: RouteRequest) =>
    `${fake.apiUrl}${new URL(r.req.url ?? "/", fake.baseUrl).pathname.replace(/^\/api\/v3/, "")}?${r.query.toString()}`;
  const list = <T>(r: RouteRequest, items: T[]): RouteResponse => {
    const { page, headers } = paginate(items, r.query, self(r));
    return { status: 200, body: page, headers };
  };
  const pull = (repo: FakeRepo, n: string | undefined) =>
    repo.pulls.find((p) => p.number === Number(n));
  const callerLogin = (c: Caller) => (c.kind === "installation" ? c.login : fake.bot.login);
  const web = () => fake.baseUrl;
  const api = () => fake.apiUrl;

  return [
    route("GET", "/meta", "none", () => ({
      status: 200,
      body: { verifiable_password_authentication: false },
    })),
    route("GET", "/app", "app", () => ({
      status: 200,
      body: { id: fake.appId, slug: fake.appSlug, name: fake.appSlug, owner: { login: "acme" } },
    })),
    route("GET", "/app/installations", "app", (r) =>
      list(r, [
        {
          id: fake.installationId,
          app_id: fake.appId,
          account: { login: "acme" },
          target_type: "Organization",
        },
      ]),
    ),
    route("POST", "/app/installations/{installation_id}/access_tokens", "app", (r) => {
      if (Number(r.params.installation_id) !== fake.installationId) return notFound();
      const { token, expiresAt } = fake.issueToken(fake.installationId);
      return { status: 201, body: installationTokenJson(token, expiresAt) };
    }),
    route("GET", "/installation/repositories", "installation", (r) => {
      const repos = [...fake.repos.values()].map((repo) => fake.toRepositoryJson(repo));
      const { page, headers } = paginate(repos, r.query, self(r));
      return { status: 200, body: { total_count: repos.length, repositories: page }, headers };
    }),
    route(
      "GET",
      "/repos/{owner}/{repo}",
      "installation",
      withRepo((repo) => ({ status: 200, body: fake.toRepositoryJson(repo) })),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/branches/{branch}",
      "installation",
      withRepo(async (repo, r) => {
        const sha = await repo.git.head(r.params.branch ?? "");
        return sha ? { status: 200, body: { name: r.params.branch, commit: { sha } } } : notFound();
      }),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/contents/{path}",
      "installation",
      withRepo(async (repo, r) => {
        const ref = r.query.get("ref") ?? repo.defaultBranch;
        const content = await repo.git.readFile(ref, r.params.path ?? "");
        if (content === undefined) return notFound();
        return {
          status: 200,
          body: {
            type: "file",
            path: r.params.path,
            encoding: "base64",
            content: Buffer.from(content).toString("base64"),
          },
        };
      }),
    ),

    // ----- pull requests -----
    route(
      "GET",
      "/repos/{owner}/{repo}/pulls",
      "installation",
      withRepo((repo, r) => {
        const state = r.query.get("state") ?? "open";
        const head = r.query.get("head");
        const base = r.query.get("base");
        const sort = r.query.get("sort") ?? "created";
        const direction = r.query.get("direction") ?? (sort === "created" ? "desc" : "asc");
        let items = repo.pulls.filter((p) => state === "all" || p.state === state);
        if (head) items = items.filter((p) => `${p.owner}:${p.head}` === head || p.head === head);
        if (base) items = items.filter((p) => p.base === base);
        const key = sort === "updated" ? "updatedAt" : "createdAt";
        items = [...items].sort((a, b) =>
          a[key] === b[key] ? a.number - b.number : a[key] < b[key] ? -1 : 1,
        );
        if (direction === "desc") items.reverse();
        return list(
          r,
          items.map((p) => pullJson(web(), api(), p)),
        );
      }),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/pulls",
      "installation",
      withRepo(async (repo, r) => {
        const head = String(r.body.head ?? "").replace(/^[^:]+:/, "");
        const base = String(r.body.base ?? "");
        const headSha = await repo.git.head(head);
        const baseSha = await repo.git.head(base);
        if (!r.body.title)
          return validationFailed("Validation Failed", [
            { resource: "PullRequest", field: "title", code: "missing_field" },
          ]);
        if (!headSha)
          return validationFailed("Validation Failed", [
            { resource: "PullRequest", field: "head", code: "invalid" },
          ]);
        if (!baseSha)
          return validationFailed("Validation Failed", [
            { resource: "PullRequest", field: "base", code: "invalid" },
          ]);
        if (repo.pulls.some((p) => p.state === "open" && p.head === head)) {
          return validationFailed("Validation Failed", [
            {
              resource: "PullRequest",
              code: "custom",
              message: `A pull request already exists for ${repo.owner}:${head}.`,
            },
          ]);
        }
        const pr = fake.openPull(repo, {
          title: String(r.body.title),
          body: String(r.body.body ?? ""),
          head,
          headSha,
          base,
          baseSha,
          user: fake.user(callerLogin(r.caller)),
        });
        return { status: 201, body: pullJson(web(), api(), pr) };
      }),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      "installation",
      withRepo((repo, r) => {
        const pr = pull(repo, r.params.pull_number);
        return pr
          ? {
              status: 200,
              body: { ...pullJson(web(), api(), pr), mergeable: pr.mergeableState !== "dirty" },
            }
          : notFound();
      }),
    ),
    route(
      "PATCH",
      "/repos/{owner}/{repo}/pulls/{pull_number}",
      "installation",
      withRepo((repo, r) => {
        const pr = pull(repo, r.params.pull_number);
        if (!pr) return notFound();
        if (typeof r.body.title === "string") pr.title = r.body.title;
        if (typeof r.body.body === "string") pr.body = r.body.body;
        if (r.body.state === "closed" && pr.state === "open") {
          pr.state = "closed";
          pr.closedAt = new Date().toISOString();
        }
        pr.updatedAt = new Date().toISOString();
        return { status: 200, body: pullJson(web(), api(), pr) };
      }),
    ),
    route(
      "PUT",
      "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
      "installation",
      withRepo(async (repo, r) => {
        const pr = pull(repo, r.params.pull_number);
        if (!pr) return notFound();
        if (pr.state !== "open")
          return { status: 405, body: { message: "Pull Request is not mergeable" } };
        if (typeof r.body.sha === "string" && r.body.sha !== pr.headSha) {
          return {
            status: 409,
            body: { message: "Head branch was modified. Review and try the merge again." },
          };
        }
        const method = r.body.merge_method ?? "merge";
        if (method !== "merge")
          return validationFailed(`Merge method ${String(method)} is not supported by the fake`);
        const protection = repo.protections.get(pr.base);
        if (protection) return { status: 405, body: { message: protection } };
        const title =
          typeof r.body.commit_title === "string" && r.body.commit_title
            ? r.body.commit_title
            : `Merge pull request #${pr.number} from ${repo.owner}/${pr.head}`;
        const message =
          typeof r.body.commit_message === "string" && r.body.commit_message
            ? `${title}\n\n${r.body.commit_message}`
            : title;
        const result = await fake.mergePull(repo, pr, message, fake.user(callerLogin(r.caller)));
        if (result.status === "conflict")
          return { status: 405, body: { message: "Pull Request is not mergeable" } };
        return {
          status: 200,
          body: { sha: result.sha, merged: true, message: "Pull Request successfully merged" },
        };
      }),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
      "installation",
      withRepo((repo, r) =>
        list(
          r,
          repo.pulls
            .filter(
              (p) => p.mergeCommitSha === r.params.commit_sha || p.headSha === r.params.commit_sha,
            )
            .map((p) => pullJson(web(), api(), p)),
        ),
      ),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/commits/{ref}",
      "installation",
      withRepo(async (repo, r) => {
        const ref = r.params.ref ?? "";
        const sha = (await repo.git.head(ref)) ?? ref;
        try {
          const info = await repo.git.commitInfo(sha);
          const login = fake.loginForEmail(info.author.email);
          return {
            status: 200,
            body: {
              sha,
              html_url: `${web()}/${repo.owner}/${repo.name}/commit/${sha}`,
              commit: { message: info.message, author: { ...info.author, date: info.date } },
              author: login
                ? { login, id: fake.user(login).id, type: fake.user(login).type }
                : null,
              parents: info.parents.map((p) => ({ sha: p })),
            },
          };
        } catch {
          return validationFailed(`No commit found for SHA: ${ref}`);
        }
      }),
    ),

    // ----- issues: labels, comments, reactions -----
    route(
      "GET",
      "/repos/{owner}/{repo}/issues",
      "installation",
      withRepo((repo, r) => {
        const state = r.query.get("state") ?? "open";
        const labels = (r.query.get("labels") ?? "").split(",").filter(Boolean);
        const since = r.query.get("since");
        const items = repo.pulls
          .filter((p) => state === "all" || p.state === state)
          .filter((p) => labels.every((l) => p.labels.includes(l)))
          .filter((p) => !since || p.updatedAt >= since)
          .sort((a, b) => b.number - a.number)
          .map((p) => ({
            number: p.number,
            title: p.title,
            state: p.state,
            labels: p.labels.map((l) => labelJson(l)),
            updated_at: p.updatedAt,
            pull_request: { url: `${api()}/repos/${repo.owner}/${repo.name}/pulls/${p.number}` },
          }));
        return list(r, items);
      }),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/labels",
      "installation",
      withRepo((repo, r) => {
        const name = String(r.body.name ?? "");
        if (!name)
          return validationFailed("Validation Failed", [
            { resource: "Label", field: "name", code: "missing_field" },
          ]);
        if (repo.labels.has(name))
          return validationFailed("Validation Failed", [
            { resource: "Label", field: "name", code: "already_exists" },
          ]);
        repo.labels.add(name);
        return { status: 201, body: labelJson(name) };
      }),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/issues/{issue_number}/labels",
      "installation",
      withRepo((repo, r) => {
        const pr = pull(repo, r.params.issue_number);
        if (!pr) return notFound();
        const labels = Array.isArray(r.body.labels) ? r.body.labels.map(String) : [];
        for (const label of labels) {
          // GitHub creates a missing label when adding it to an issue.
          repo.labels.add(label);
          if (!pr.labels.includes(label)) pr.labels.push(label);
        }
        pr.updatedAt = new Date().toISOString();
        return { status: 200, body: pr.labels.map((l) => labelJson(l)) };
      }),
    ),
    route(
      "DELETE",
      "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
      "installation",
      withRepo((repo, r) => {
        const pr = pull(repo, r.params.issue_number);
        const missing = !pr?.labels.includes(r.params.name ?? "");
        if (!pr || missing) return { status: 404, body: { message: "Label does not exist" } };
        pr.labels = pr.labels.filter((l) => l !== r.params.name);
        pr.updatedAt = new Date().toISOString();
        return { status: 200, body: pr.labels.map((l) => labelJson(l)) };
      }),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      "installation",
      withRepo((repo, r) =>
        list(
          r,
          repo.comments
            .filter((c) => c.issue === Number(r.params.issue_number))
            .map((c) => commentJson(web(), repo.owner, repo.name, c)),
        ),
      ),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      "installation",
      withRepo((repo, r) => {
        const number = Number(r.params.issue_number);
        const pr = pull(repo, r.params.issue_number);
        if (!pr) return notFound();
        if (typeof r.body.body !== "string" || !r.body.body)
          return validationFailed("Validation Failed", [
            { resource: "IssueComment", field: "body", code: "missing_field" },
          ]);
        if (r.body.body.length > MAX_TEXT)
          return validationFailed("Body is too long (maximum is 65536 characters)");
        const comment = fake.addComment(
          repo,
          number,
          fake.user(callerLogin(r.caller)),
          r.body.body,
        );
        return { status: 201, body: commentJson(web(), repo.owner, repo.name, comment) };
      }),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "installation",
      withRepo((repo, r) => {
        const comment = repo.comments.find((c) => c.id === Number(r.params.comment_id));
        if (!comment) return notFound();
        const content = String(r.body.content ?? "");
        if (
          !["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"].includes(content)
        ) {
          return validationFailed("Validation Failed", [
            { resource: "Reaction", field: "content", code: "invalid" },
          ]);
        }
        const user = callerLogin(r.caller);
        const existing = comment.reactions.find((x) => x.content === content && x.user === user);
        if (!existing) comment.reactions.push({ content, user });
        return {
          status: existing ? 200 : 201,
          body: { id: fake.id(), content, user: { login: user } },
        };
      }),
    ),

    // ----- check runs -----
    route(
      "GET",
      "/repos/{owner}/{repo}/commits/{ref}/check-runs",
      "installation",
      withRepo((repo, r) => {
        const name = r.query.get("check_name");
        let runs = repo.checkRuns.filter(
          (c) => c.headSha === r.params.ref && (!name || c.name === name),
        );
        if ((r.query.get("filter") ?? "latest") === "latest") {
          const latest = new Map<string, FakeCheckRun>();
          for (const run of runs) latest.set(run.name, run);
          runs = [...latest.values()];
        }
        runs = [...runs].sort((a, b) => b.id - a.id);
        const { page, headers } = paginate(runs, r.query, self(r));
        return {
          status: 200,
          body: {
            total_count: runs.length,
            check_runs: page.map((c) => checkRunJson(c, { id: fake.appId, slug: fake.appSlug })),
          },
          headers,
        };
      }),
    ),
    route(
      "GET",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      "installation",
      withRepo((repo, r) => {
        const run = repo.checkRuns.find((c) => c.id === Number(r.params.check_run_id));
        return run
          ? { status: 200, body: checkRunJson(run, { id: fake.appId, slug: fake.appSlug }) }
          : notFound();
      }),
    ),
    route(
      "POST",
      "/repos/{owner}/{repo}/check-runs",
      "installation",
      withRepo((repo, r) => {
        if (typeof r.body.name !== "string" || typeof r.body.head_sha !== "string") {
          return validationFailed("Validation Failed", [
            { resource: "CheckRun", field: "name", code: "missing_field" },
          ]);
        }
        const invalid = checkRunProblem(r.body);
        if (invalid) return validationFailed(invalid);
        const now = new Date().toISOString();
        const run: FakeCheckRun = {
          id: fake.id(),
          owner: repo.owner,
          repo: repo.name,
          name: r.body.name,
          headSha: r.body.head_sha,
          status: "queued",
          conclusion: null,
          externalId: "",
          detailsUrl: null,
          output: { title: null, summary: null, text: null, annotations: [] },
          actions: [],
          startedAt: now,
          completedAt: null,
          history: [],
        };
        applyCheckRun(run, r.body);
        repo.checkRuns.push(run);
        return { status: 201, body: checkRunJson(run, { id: fake.appId, slug: fake.appSlug }) };
      }),
    ),
    route(
      "PATCH",
      "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      "installation",
      withRepo((repo, r) => {
        const run = repo.checkRuns.find((c) => c.id === Number(r.params.check_run_id));
        if (!run) return notFound();
        const invalid = checkRunProblem(r.body);
        if (invalid) return validationFailed(invalid);
        applyCheckRun(run, r.body);
        return { status: 200, body: checkRunJson(run, { id: fake.appId, slug: fake.appSlug }) };
      }),
    ),

    // ----- permissions -----
    route(
      "GET",
      "/repos/{owner}/{repo}/collaborators/{username}/permission",
      "installation",
      withRepo((repo, r) => {
        const login = r.params.username ?? "";
        if (!fake.users.has(login)) return notFound();
        return { status: 200, body: permissionJson(login, repo.permissions.get(login) ?? "read") };
      }),
    ),
    route("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", "installation", (r) => {
      const members = fake.teams.get(`${r.params.org}/${r.params.team_slug}`);
      return members?.has(r.params.username ?? "")
        ? { status: 200, body: teamMembershipJson("active") }
        : notFound();
    }),
  ];
}

/** What GitHub would refuse (422) in a check-run body. */
function checkRunProblem(body: Record<string, unknown>): string | undefined {
  const output = body.output as { summary?: unknown; text?: unknown; title?: unknown } | undefined;
  if (output) {
    if (typeof output.title !== "string" || typeof output.summary !== "string")
      return "output.title and output.summary are required";
    if (output.summary.length > MAX_TEXT)
      return "output.summary is too long (maximum is 65535 characters)";
    if (typeof output.text === "string" && output.text.length > MAX_TEXT)
      return "output.text is too long (maximum is 65535 characters)";
  }
  const actions = body.actions as
    | { label?: string; identifier?: string; description?: string }[]
    | undefined;
  if (actions) {
    if (actions.length > 3) return "actions: no more than 3 actions";
    for (const a of actions) {
      if (!a.label || a.label.length > 20) return "actions.label must be 1-20 characters";
      if (!a.identifier || a.identifier.length > 40)
        return "actions.identifier must be 1-40 characters";
      if (!a.description || a.description.length > 40)
        return "actions.description must be 1-40 characters";
    }
  }
  if (body.conclusion !== undefined && body.status !== undefined && body.status !== "completed") {
    return "conclusion can only be set when status is completed";
  }
  return undefined;
}

function applyCheckRun(run: FakeCheckRun, body: Record<string, unknown>): void {
  run.history.push(structuredClone(body));
  if (typeof body.name === "string") run.name = body.name;
  if (typeof body.status === "string") run.status = body.status as FakeCheckRun["status"];
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
    run.completedAt = new Date().toISOString();
  } else if (body.status && body.status !== "completed") {
    run.conclusion = null;
    run.completedAt = null;
  }
  if (typeof body.external_id === "string") run.externalId = body.external_id;
  if (typeof body.details_url === "string") run.detailsUrl = body.details_url;
  const output = body.output as
    | { title?: string; summary?: string; text?: string; annotations?: unknown[] }
    | undefined;
  if (output) {
    run.output = {
      title: output.title ?? null,
      summary: output.summary ?? null,
      text: output.text ?? null,
      annotations: output.annotations ?? [],
    };
  }
  if (Array.isArray(body.actions)) run.actions = body.actions as FakeCheckRun["actions"];
}
