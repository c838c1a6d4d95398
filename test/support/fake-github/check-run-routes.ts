/** Check-run routes, with the limits GitHub enforces on their bodies. */
import type { FakeGitHub } from "./fake-github.js";
import { notFound, paginate, type Route, route, validationFailed } from "./fake-router.js";
import { checkRunJson, type FakeCheckRun } from "./fake-state.js";
import type { RouteKit } from "./route-kit.js";

const MAX_TEXT = 65_535;

export function checkRunRoutes(fake: FakeGitHub, kit: RouteKit): Route[] {
  const { withRepo, self } = kit;
  return [
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
