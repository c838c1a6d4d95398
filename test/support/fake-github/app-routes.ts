/** Routes for the app itself, installations, repositories and permissions. */
import type { FakeGitHub } from "./fake-github.js";
import { notFound, paginate, type Route, route } from "./fake-router.js";
import { installationTokenJson, permissionJson, teamMembershipJson } from "./fake-state.js";
import type { RouteKit } from "./route-kit.js";

export function appRoutes(fake: FakeGitHub, kit: RouteKit): Route[] {
  const { withRepo, self, list } = kit;
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
