/** Issue routes the app uses on pull requests: listing by label, labels, comments, reactions. */
import type { FakeGitHub } from "./fake-github.js";
import { notFound, type Route, route, validationFailed } from "./fake-router.js";
import { commentJson, labelJson } from "./fake-state.js";
import type { RouteKit } from "./route-kit.js";

const MAX_TEXT = 65_535;

export function issueRoutes(fake: FakeGitHub, kit: RouteKit): Route[] {
  const { withRepo, list, pull, callerLogin, web, api } = kit;
  return [
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
  ];
}
