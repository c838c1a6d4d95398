/**
 * `target.repository`: the app with the real engine, against strict GitHub mocks, where the
 * source (acme/fleet: config, the change) and the GitOps repo (acme/gitops: rollout PRs) differ.
 */
import { Writable } from "node:stream";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { pino } from "pino";
import { Probot, type ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createWavesApp } from "../../src/app/create-waves-app.js";
import type { Reconciler } from "../../src/app/reconciler.js";
import * as engine from "../../src/rollout/index.js";
import {
  decodeState,
  encodeState,
  type PromotionMeta,
  type RolloutEnv,
} from "../../src/rollout/index.js";
import { fakeCheckout } from "../support/fake-checkout.js";
import {
  API,
  assertStrictMocks,
  checkRunJson,
  github,
  mockAccessToken,
  mockAppAuthenticated,
  mockCommitPulls,
  mockGetCommit,
  mockListCheckRuns,
  mockListComments,
  OWNER,
  pullJson,
} from "../support/github-mocks.js";
import { TestOctokit } from "../support/test-octokit.js";
import { keys } from "./app-harness.js";
import { INSTALLATION_ID, issueCommentPayload, pushPayload } from "./webhook-fixtures.js";

const TOKEN = "ghs_crossrepotoken0123456789abcdefXY";
const REVISION = "4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d";
const T = `/repos/${OWNER}/gitops`;
const S = `/repos/${OWNER}/fleet`;

const CONFIG = `target:
  repository: acme/gitops
waves:
  - name: canary
    clusters: [canary-1]
    waitTime: 1s
  - name: wave-2
    clusters: [prod-1]
    waitTime: 1s
    requireApproval: true
promotion:
  files:
    - path: clusters/{cluster}/app.yaml
      kind: yaml
      key: spec.source.targetRevision
argocd:
  url: http://argocd.invalid
`;

const clusterFile = (cluster: string) =>
  `spec:\n  source:\n    repoURL: https://github.com/acme/fleet.git\n    targetRevision: v1\n    path: ${cluster}\n`;

async function startApp() {
  const logLines: string[] = [];
  const log = pino(
    { level: "trace" },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    }),
  );
  const probot = new Probot({
    appId: 1,
    privateKey: keys.privateKey,
    secret: "s",
    Octokit: TestOctokit as unknown as typeof ProbotOctokit,
    log,
  });
  // One in-memory checkout answers for both clones: the source's config, the GitOps files.
  const git = fakeCheckout({
    "main:.github/waves.yml": CONFIG,
    [`${REVISION}:.github/waves.yml`]: CONFIG,
    "main:clusters/canary-1/app.yaml": clusterFile("canary-1"),
    "main-head:clusters/canary-1/app.yaml": clusterFile("canary-1"),
    "main:clusters/prod-1/app.yaml": clusterFile("prod-1"),
  });
  let reconciler: Reconciler<RolloutEnv> | undefined;
  await probot.load(
    createWavesApp<RolloutEnv>({
      engine,
      buildEnv: ({ source, target, logger, appLogin }) => ({
        source,
        target,
        logger,
        appLogin,
        now: () => new Date("2026-01-01T01:00:00Z"),
        healthGate: () => async () => {
          throw new Error("no gate is evaluated in these tests");
        },
        templateOverrides: false,
      }),
      openCheckout: git.open,
      reconcileIntervalMs: 60_000,
      apiBaseUrl: API,
      startReconciler: false,
      env: {},
      onLoaded: (parts) => {
        reconciler = parts.reconciler;
      },
    }),
    { cwd: process.cwd(), addHandler: () => undefined },
  );
  if (!reconciler) throw new Error("app did not load");
  return { probot, logLines, git, reconciler };
}

function meta(wave: string, waveIndex: number): PromotionMeta {
  return {
    v: 1,
    kind: "promotion",
    rolloutId: REVISION.slice(0, 7),
    revision: REVISION,
    source: {
      sha: REVISION,
      title: "Ship payments",
      author: "alice",
      url: `https://github.com/${OWNER}/fleet/pull/1`,
      pullRequest: 1,
      branch: "main",
      repository: "acme/fleet",
    },
    targetBranch: "main",
    changedPaths: ["base/app.yaml"],
    startedAt: "2026-01-01T00:00:00Z",
    wave,
    waveIndex,
    waves: ["canary", "wave-2"],
    clusters: [wave === "canary" ? "canary-1" : "prod-1"],
    files: [],
  };
}

function mockTargetPulls(state: "open" | "closed", pulls: Parameters<typeof pullJson>[0][]) {
  const query =
    state === "open"
      ? { state, per_page: "100", page: "1" }
      : { state, sort: "updated", direction: "desc", per_page: "100", page: "1" };
  return github().get(`${T}/pulls`).query(query).reply(200, pulls.map(pullJson));
}

describe("target.repository: source and GitOps repositories differ", () => {
  afterEach(() => assertStrictMocks());

  it("a push to the source opens the canary PR in the GitOps repo, naming the source in its state", async () => {
    const { probot, logLines, git, reconciler } = await startApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    github().get(T).reply(200, { name: "gitops", default_branch: "main" });
    // The change is described from the source repository.
    mockCommitPulls(REVISION, []);
    mockGetCommit(REVISION, "Ship payments", "alice");
    // Rollout state, PRs and labels: all in the GitOps repository.
    mockTargetPulls("open", []);
    mockTargetPulls("closed", []);
    const branch = `waves/${REVISION.slice(0, 7)}/canary`;
    github()
      .get(`${T}/pulls`)
      .query({ state: "open", head: `${OWNER}:${branch}`, per_page: "1" })
      .reply(200, []);
    let created: Record<string, unknown> = {};
    github()
      .post(`${T}/pulls`, (b) => {
        created = b;
        return true;
      })
      .reply(201, pullJson({ number: 10, branch }));
    for (const name of ["waves:promotion", "waves:canary"]) {
      github()
        .post(`${T}/labels`, (b) => b.name === name)
        .reply(201, { id: 1, name, color: "1d76db" });
    }
    github()
      .post(`${T}/issues/10/labels`, { labels: ["waves:promotion", "waves:canary"] })
      .reply(200, []);
    // The next round's read fails: the step stops there and is left to the tick.
    github()
      .get(`${T}/pulls`)
      .query({ state: "open", per_page: "100", page: "1" })
      .reply(502, { message: "Server Error" });
    await probot.receive({
      id: "d-push",
      name: "push",
      payload: pushPayload({ after: REVISION, message: "Ship payments" }),
    } as EmitterWebhookEvent);
    expect(created.head).toBe(branch);
    expect(created.base).toBe("main");
    expect(decodeState(String(created.body))?.source).toMatchObject({
      sha: REVISION,
      repository: "acme/fleet",
    });
    // The bump was pushed to the GitOps clone; both clones were opened with the one token.
    expect(git.checkout.pushes.map((p) => p.branch)).toEqual([branch]);
    expect(git.checkout.opened.map((o) => o.url).sort()).toEqual([
      "https://github.com/acme/fleet.git",
      "https://github.com/acme/gitops.git",
    ]);
    // The rollout is tracked (and queued) by its GitOps repo, remembering its source.
    expect(reconciler.trackedRepos()).toEqual([
      {
        owner: OWNER,
        name: "gitops",
        installationId: INSTALLATION_ID,
        source: { owner: OWNER, name: "fleet" },
      },
    ]);
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });

  it("a comment on a promotion PR in the GitOps repo resolves the source from the PR's state", async () => {
    const { probot, reconciler } = await startApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    const body = (m: PromotionMeta) => `Promotion\n\n${encodeState(m)}\n`;
    mockTargetPulls("open", [
      {
        number: 6,
        branch: `waves/${REVISION.slice(0, 7)}/wave-2`,
        labels: ["waves:promotion", "waves:wave-2", "waves:awaiting-approval"],
        body: body(meta("wave-2", 1)),
      },
    ]);
    mockTargetPulls("closed", [
      {
        number: 5,
        branch: `waves/${REVISION.slice(0, 7)}/canary`,
        labels: ["waves:promotion", "waves:canary"],
        merged: true,
        updatedAt: new Date().toISOString(),
        body: body(meta("canary", 0)),
      },
    ]);
    github()
      .get(`${T}/commits/${"a".repeat(40)}/check-runs`)
      .query({ check_name: "waves / wave-2", filter: "latest", per_page: "10" })
      .reply(200, {
        total_count: 1,
        check_runs: [
          checkRunJson({
            id: 31,
            name: "waves / wave-2",
            headSha: "a".repeat(40),
            status: "completed",
            conclusion: "action_required",
          }),
        ],
      });
    // The overall check lives on the source commit, in the source repository.
    mockListCheckRuns(REVISION, "waves / rollout", []);
    // Who may approve: permission on the repository where the command is given (GitOps).
    github()
      .get(`${T}/collaborators/mallory/permission`)
      .reply(200, { permission: "read", role_name: "read", user: { login: "mallory" } });
    github()
      .post(`${T}/issues/comments/77/reactions`, { content: "-1" })
      .reply(201, { id: 1, content: "-1" });
    mockListComments(6, [], T);
    let reply = "";
    github()
      .post(`${T}/issues/6/comments`, (b: { body: string }) => {
        reply = b.body;
        return true;
      })
      .reply(201, { id: 901 });
    const payload = issueCommentPayload({
      body: "/approve wave-2",
      author: "mallory",
      prNumber: 6,
    });
    payload.repository.name = "gitops";
    payload.repository.full_name = `${OWNER}/gitops`;
    payload.issue.body = body(meta("wave-2", 1));
    await probot.receive({
      id: "d-approve",
      name: "issue_comment",
      payload,
    } as EmitterWebhookEvent);
    expect(reply).toContain("`/approve wave-2` refused for mallory");
    expect(reconciler.trackedRepos()).toEqual([
      {
        owner: OWNER,
        name: "gitops",
        installationId: INSTALLATION_ID,
        source: { owner: OWNER, name: "fleet" },
      },
    ]);
  });

  it("a command on a PR of the source repo is not applied to the same-numbered PR in the GitOps repo", async () => {
    const { probot } = await startApp();
    mockAppAuthenticated("waves");
    // The token opens the source clone (its config names the GitOps repo); nothing else is asked.
    mockAccessToken(INSTALLATION_ID, TOKEN);
    const payload = issueCommentPayload({ body: "/rollback", author: "bob", prNumber: 6 });
    payload.issue.body = "A feature PR";
    await probot.receive({ id: "d-src", name: "issue_comment", payload } as EmitterWebhookEvent);
    // Strict mocks: no read or write in acme/gitops (any would fail the test).
  });

  it("a target the installation cannot see fails `waves / config` on the source commit; no rollout", async () => {
    const { probot, reconciler } = await startApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    github().get(T).reply(404, { message: "Not Found" });
    github()
      .get(`${S}/commits/${REVISION}/check-runs`)
      .query({ check_name: "waves / config", filter: "latest", per_page: "10" })
      .reply(200, { total_count: 0, check_runs: [] });
    let check: Record<string, unknown> = {};
    github()
      .post(`${S}/check-runs`, (b) => {
        check = b;
        return true;
      })
      .reply(
        201,
        checkRunJson({ id: 40, name: "waves / config", headSha: REVISION, status: "completed" }),
      );
    await probot.receive({
      id: "d-push-404",
      name: "push",
      payload: pushPayload({ after: REVISION }),
    } as EmitterWebhookEvent);
    expect(check).toMatchObject({
      name: "waves / config",
      head_sha: REVISION,
      status: "completed",
      conclusion: "failure",
    });
    const output = check.output as { title: string; summary: string };
    expect(output.title).toBe("target.repository acme/gitops is not accessible: no rollout");
    expect(output.summary).toContain("Install the app on **acme/gitops**");
    expect(reconciler.trackedRepos()).toEqual([]);
  });
});
