/** Pull request routes: list, create, read, update, merge (a real git merge), commits. */
import type { FakeGitHub } from "./fake-github.js";
import { notFound, type Route, route, validationFailed } from "./fake-router.js";
import { pullJson } from "./fake-state.js";
import type { RouteKit } from "./route-kit.js";

export function pullRoutes(fake: FakeGitHub, kit: RouteKit): Route[] {
  const { withRepo, list, pull, callerLogin, web, api } = kit;
  return [
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
  ];
}
