import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { changedPathsOf } from "../../src/app/handlers.js";
import { MAX_RETRY_ATTEMPTS } from "../../src/app/reconciler.js";
import {
  assertStrictMocks,
  github,
  mockAccessToken,
  mockAppAuthenticated,
  mockInstallations,
  mockReaction,
} from "../support/github-mocks.js";
import { startTestApp } from "./app-harness.js";
import {
  checkRunPayload,
  checkSuitePayload,
  INSTALLATION_ID,
  issueCommentPayload,
  pullRequestClosedPayload,
  pushPayload,
  statusPayload,
} from "./webhook-fixtures.js";

const TOKEN = "ghs_installationtoken0123456789abcdef";

function receive(probot: import("probot").Probot, name: string, payload: unknown) {
  return probot.receive({ id: `delivery-${name}`, name, payload } as EmitterWebhookEvent);
}

describe("webhook handlers → engine calls", () => {
  afterEach(() => assertStrictMocks());

  it("a push to a branch becomes handlePush with the revision, changed paths and pusher", async () => {
    const app = await startTestApp();
    // The config is read through the clone, opened with the installation token.
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(
      app.probot,
      "push",
      pushPayload({
        after: "a".repeat(40),
        files: [
          { added: ["base/new.yaml"], modified: ["base/app.yaml"] },
          { removed: ["base/old.yaml"], modified: ["base/app.yaml"] },
        ],
        message: "Ship it @acme/platform",
      }),
    );
    expect(app.calls).toEqual([
      {
        method: "handlePush",
        repo: "acme/fleet",
        input: {
          revision: "a".repeat(40),
          branch: "main",
          defaultBranch: "main",
          changedPaths: ["base/app.yaml", "base/new.yaml", "base/old.yaml"],
          pusher: "alice",
          headCommitMessage: "Ship it @acme/platform",
        },
      },
    ]);
    expect(app.reconciler.trackedRepos()).toEqual([
      { owner: "acme", name: "fleet", installationId: INSTALLATION_ID },
    ]);
  });

  it("a push of 20 commits, or a new branch, hands the engine a way to get every changed path", async () => {
    const app = await startTestApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    const files = Array.from({ length: 20 }, (_, i) => ({ modified: [`docs/${i}.md`] }));
    await receive(app.probot, "push", pushPayload({ after: "a".repeat(40), files }));
    await receive(
      app.probot,
      "push",
      pushPayload({ after: "b".repeat(40), before: "0".repeat(40) }),
    );
    const inputs = app.calls.map(
      (c) => c.input as { completeChangedPaths?: () => Promise<string[]> },
    );
    expect(inputs.map((i) => typeof i.completeChangedPaths)).toEqual(["function", "function"]);
    // The test clone cannot diff: the payload's list is what remains.
    expect(await inputs[1]?.completeChangedPaths?.()).toEqual(["base/app.yaml"]);
  });

  it("tag pushes, deleted branches and the app's own pushes start nothing", async () => {
    const app = await startTestApp();
    await receive(app.probot, "push", pushPayload({ ref: "refs/tags/v1.0.0" }));
    await receive(app.probot, "push", pushPayload({ deleted: true }));
    mockAppAuthenticated("waves");
    await receive(app.probot, "push", pushPayload({ sender: "waves[bot]" }));
    expect(app.calls).toEqual([]);
  });

  it("a PR comment becomes handleComment; the env's adapter acts with the event's installation token", async () => {
    const app = await startTestApp({
      onCall: async (call, env) => {
        if (call.method === "handleComment") await env.source.react(77, "+1");
      },
    });
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    mockReaction(77, "+1").matchHeader("authorization", `token ${TOKEN}`);
    await receive(
      app.probot,
      "issue_comment",
      issueCommentPayload({ body: "/approve wave-2", author: "bob" }),
    );
    expect(app.calls).toEqual([
      {
        method: "handleComment",
        repo: "acme/fleet",
        input: {
          prNumber: 5,
          commentId: 77,
          body: "/approve wave-2",
          author: "bob",
          authorIsBot: false,
          action: "created",
        },
      },
    ]);
    expect(app.logLines.join("\n")).not.toContain(TOKEN);
  });

  it("comments on issues are ignored; bots and edits are passed on flagged for the engine to refuse", async () => {
    const app = await startTestApp();
    await receive(
      app.probot,
      "issue_comment",
      issueCommentPayload({ body: "/approve wave-2", onPullRequest: false }),
    );
    expect(app.calls).toEqual([]);
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(
      app.probot,
      "issue_comment",
      issueCommentPayload({ body: "/approve wave-2", author: "waves[bot]", authorType: "Bot" }),
    );
    await receive(
      app.probot,
      "issue_comment",
      issueCommentPayload({ action: "edited", body: "/rollback" }),
    );
    expect(app.calls.map((c) => c.input)).toMatchObject([
      { author: "waves[bot]", authorIsBot: true, action: "created" },
      { author: "alice", authorIsBot: false, action: "edited", body: "/rollback" },
    ]);
  });

  it("check_run buttons and re-runs become handleCheckRunEvent", async () => {
    const app = await startTestApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(app.probot, "check_run", checkRunPayload("requested_action", "carol"));
    await receive(app.probot, "check_run", checkRunPayload("rerequested", "dave"));
    expect(app.calls.map((c) => c.input)).toEqual([
      {
        name: "waves / wave-2",
        headSha: "2".repeat(40),
        action: "requested_action",
        identifier: "approve:wave-2",
        actor: "carol",
      },
      { name: "waves / wave-2", headSha: "2".repeat(40), action: "rerequested", actor: "dave" },
    ]);
  });

  it("pull_request.closed, check_suite and status reconcile the repository", async () => {
    const app = await startTestApp();
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(app.probot, "pull_request", pullRequestClosedPayload());
    await receive(app.probot, "check_suite", checkSuitePayload());
    await receive(app.probot, "status", statusPayload());
    expect(app.calls.map((c) => [c.method, c.repo])).toEqual([
      ["reconcile", "acme/fleet"],
      ["reconcile", "acme/fleet"],
      ["reconcile", "acme/fleet"],
    ]);
  });

  it("an engine failure is logged without secrets and left to the tick; the repo stays tracked", async () => {
    const app = await startTestApp({
      onCall: async () => {
        throw new Error(
          `push rejected for https://x-access-token:${TOKEN}@github.com/acme/fleet.git`,
        );
      },
    });
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(app.probot, "pull_request", pullRequestClosedPayload());
    const logs = app.logLines.join("\n");
    expect(logs).toContain("webhook handling failed");
    expect(logs).not.toContain(TOKEN);
    expect(app.reconciler.activeCount).toBe(1);
  });

  it("a push whose handling failed is retried on later ticks with a doubling wait, until it succeeds", async () => {
    let now = Date.parse("2026-11-28T10:00:00Z");
    let failures = 3;
    const app = await startTestApp({
      clock: () => new Date(now),
      onCall: async (call) => {
        if (call.method === "handlePush" && failures-- > 0) throw new Error("GitHub said 502");
      },
    });
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(app.probot, "push", pushPayload({ after: "b".repeat(40) }));
    mockInstallations([]); // the first tick's discovery finds nothing else
    const pushes = () => app.calls.filter((c) => c.method === "handlePush").length;
    expect(pushes()).toBe(1);
    expect(app.reconciler.pendingRetries).toBe(1);
    expect(app.logLines.join("\n")).toContain("retrying it on the coming ticks");
    // Waits of 1, 2 and 4 intervals (60 s each): a tick before the wait is over does nothing.
    const tickAfter = async (seconds: number) => {
      now += seconds * 1000;
      await app.reconciler.tick();
      return pushes();
    };
    expect(await tickAfter(59)).toBe(1);
    expect(await tickAfter(1)).toBe(2); // fails again: next in 120 s
    expect(await tickAfter(119)).toBe(2);
    expect(await tickAfter(1)).toBe(3); // fails a third time: next in 240 s
    expect(await tickAfter(240)).toBe(4); // succeeds
    expect(app.reconciler.pendingRetries).toBe(0);
    expect(await tickAfter(3600)).toBe(4);
    const retried = app.calls.filter((c) => c.method === "handlePush");
    expect(new Set(retried.map((c) => (c.input as { revision: string }).revision))).toEqual(
      new Set(["b".repeat(40)]),
    );
  });

  it("a push that keeps failing is given up after a bounded number of attempts, with a warning", async () => {
    let now = 0;
    const app = await startTestApp({
      clock: () => new Date(now),
      onCall: async (call) => {
        if (call.method === "handlePush") throw new Error("still down");
      },
    });
    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, TOKEN);
    await receive(app.probot, "push", pushPayload({ after: "c".repeat(40) }));
    mockInstallations([]);
    for (let i = 0; i < 20; i++) {
      now += 32 * 60_000;
      await app.reconciler.tick();
    }
    expect(app.calls.filter((c) => c.method === "handlePush")).toHaveLength(MAX_RETRY_ATTEMPTS);
    expect(app.reconciler.pendingRetries).toBe(0);
    expect(app.logLines.join("\n")).toContain("giving up retrying");
  });

  it("lists changed paths once, sorted", () => {
    expect(
      changedPathsOf([
        { added: ["b"], modified: ["a"] },
        { modified: ["a"], removed: ["c"] },
      ]),
    ).toEqual(["a", "b", "c"]);
  });

  it("github() helper is strict: an unexpected request fails the call", async () => {
    const app = await startTestApp();
    github().get("/nothing").reply(200, {});
    const octokit = await app.probot.auth(INSTALLATION_ID);
    await expect(octokit.request("GET /meta")).rejects.toThrow();
    // The unused mock and the unmatched token request are both reported by the strict checks.
    expect(() => assertStrictMocks()).toThrow(/unmatched|unused/);
  });
});
