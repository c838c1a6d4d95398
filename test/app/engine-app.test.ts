/**
 * The app with the REAL rollout engine, driven by `probot.receive`, against strict GitHub mocks:
 * security behaviour as users meet it (refused approvals, no pings, no tokens in logs).
 */

import { Writable } from "node:stream";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { pino } from "pino";
import { Probot, type ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createWavesApp } from "../../src/app/create-waves-app.js";
import type { HealthGate } from "../../src/health/health-gate.js";
import * as engine from "../../src/rollout/index.js";
import { encodeState, type PromotionMeta, type RolloutEnv } from "../../src/rollout/index.js";
import { fakeCheckout } from "../support/fake-checkout.js";
import {
  API,
  assertStrictMocks,
  github,
  mockAccessToken,
  mockAddLabels,
  mockAppAuthenticated,
  mockCommitPulls,
  mockCreateLabel,
  mockCreatePr,
  mockGetCommit,
  mockListCheckRuns,
  mockListComments,
  mockListOpenPullsForBranch,
  mockListPulls,
  mockPermission,
  mockReaction,
  OWNER,
  REPO,
} from "../support/github-mocks.js";
import { TestOctokit } from "../support/test-octokit.js";
import { keys } from "./app-harness.js";
import { INSTALLATION_ID, issueCommentPayload, pushPayload } from "./webhook-fixtures.js";

const TOKEN = "ghs_enginetesttoken0123456789abcdefXY";
const REVISION = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";

const CONFIG = `waves:
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

function meta(wave: string, waveIndex: number): PromotionMeta {
  return {
    v: 1,
    kind: "promotion",
    rolloutId: REVISION.slice(0, 7),
    revision: REVISION,
    source: {
      sha: REVISION,
      title: "Ship payments for @acme/platform",
      author: "alice",
      url: `https://github.com/${OWNER}/${REPO}/pull/1`,
      pullRequest: 1,
      branch: "main",
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

async function startEngineApp() {
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
  const clusterFile = (cluster: string) =>
    `spec:\n  source:\n    repoURL: https://github.com/acme/fleet.git\n    targetRevision: v1\n    path: ${cluster}\n`;
  const git = fakeCheckout({
    "main:.github/waves.yml": CONFIG,
    [`${REVISION}:.github/waves.yml`]: CONFIG,
    "main:clusters/canary-1/app.yaml": clusterFile("canary-1"),
    "main-head:clusters/canary-1/app.yaml": clusterFile("canary-1"),
    "main:clusters/prod-1/app.yaml": clusterFile("prod-1"),
  });
  const gate: HealthGate = async () => {
    throw new Error("no gate is evaluated in these tests");
  };
  await probot.load(
    createWavesApp<RolloutEnv>({
      engine,
      buildEnv: ({ source, target, logger, appLogin }) => ({
        source,
        target,
        logger,
        appLogin,
        now: () => new Date("2026-01-01T01:00:00Z"),
        healthGate: () => gate,
        templateOverrides: false,
      }),
      openCheckout: git.open,
      reconcileIntervalMs: 60_000,
      apiBaseUrl: API,
      startReconciler: false,
      env: {},
    }),
    { cwd: process.cwd(), addHandler: () => undefined },
  );
  return { probot, logLines };
}

describe("app + real engine (strict mocks)", () => {
  afterEach(() => assertStrictMocks());

  it("/approve from a read-only user is refused: 👎, a reply saying why without pings, the PR not merged", async () => {
    const { probot, logLines } = await startEngineApp();
    const body = (m: PromotionMeta) => `Promotion of ${m.wave}\n\n${encodeState(m)}`;
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    mockListPulls("open", [
      {
        number: 6,
        branch: `waves/${REVISION.slice(0, 7)}/wave-2`,
        labels: ["waves:promotion", "waves:wave-2", "waves:awaiting-approval"],
        body: body(meta("wave-2", 1)),
      },
    ]);
    mockListPulls("closed", [
      {
        number: 5,
        branch: `waves/${REVISION.slice(0, 7)}/canary`,
        labels: ["waves:promotion", "waves:canary"],
        merged: true,
        updatedAt: new Date().toISOString(),
        body: body(meta("canary", 0)),
      },
    ]);
    mockListCheckRuns("a".repeat(40), "waves / wave-2", [
      {
        id: 31,
        name: "waves / wave-2",
        headSha: "a".repeat(40),
        status: "completed",
        conclusion: "action_required",
      },
    ]);
    mockListCheckRuns(REVISION, "waves / rollout", []);
    mockPermission("mallory", "read");
    mockReaction(77, "-1");
    mockListComments(6);
    let reply = "";
    github()
      .post(`/repos/${OWNER}/${REPO}/issues/6/comments`, (b: { body: string }) => {
        reply = b.body;
        return true;
      })
      .reply(201, { id: 901 });
    // Whatever else the engine reads is answered; a merge is never among the mocks.
    await probot.receive({
      id: "d-approve",
      name: "issue_comment",
      payload: issueCommentPayload({ body: "/approve wave-2", author: "mallory", prNumber: 6 }),
    } as EmitterWebhookEvent);
    expect(reply).toContain(
      "`/approve wave-2` refused for mallory: mallory has read permission and is not among the approvers of wave wave-2",
    );
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });

  it("a push whose change title mentions @acme/platform opens the canary PR without pinging the team", async () => {
    const { probot, logLines } = await startEngineApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    mockCommitPulls(REVISION, []);
    mockGetCommit(REVISION, "Ship payments for @acme/platform\n\nDetails", "alice");
    mockListPulls("open", []);
    mockListPulls("closed", []);
    const branch = `waves/${REVISION.slice(0, 7)}/canary`;
    mockListOpenPullsForBranch(branch, []);
    let prBody = "";
    let prTitle = "";
    mockCreatePr({ number: 10, branch }, (b) => {
      prBody = String(b.body);
      prTitle = String(b.title);
      return b.head === branch && b.base === "main";
    });
    mockCreateLabel("waves:promotion");
    mockCreateLabel("waves:canary");
    mockAddLabels(10, ["waves:promotion", "waves:canary"]);
    // The next round's read fails (GitHub 502): the step stops there and is left to the tick.
    github()
      .get(`/repos/${OWNER}/${REPO}/pulls`)
      .query({ state: "open", per_page: "100", page: "1" })
      .reply(502, { message: "Server Error" });
    await probot.receive({
      id: "d-push",
      name: "push",
      payload: pushPayload({ after: REVISION, message: "Ship payments for @acme/platform" }),
    } as EmitterWebhookEvent);
    expect(prTitle).not.toContain("@acme/platform");
    expect(prBody).toContain("@\u200dacme/platform");
    expect(prBody).not.toContain("@acme/platform");
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });
});
