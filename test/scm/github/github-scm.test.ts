import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubScm } from "../../../src/scm/github/github-scm.js";
import { GitHubScmCache } from "../../../src/scm/github/github-scm-cache.js";
import { CallLedger, callLedger } from "../../../src/util/outward-calls.js";
import { fakeCheckout } from "../../support/fake-checkout.js";
import {
  assertStrictMocks,
  github,
  mockAddLabels,
  mockCommitPulls,
  mockCreateLabel,
  mockCreatePr,
  mockCreatePrAlreadyExists,
  mockGetCommit,
  mockGetPr,
  mockGetPrNotFound,
  mockListComments,
  mockListOpenPullsForBranch,
  mockListPulls,
  mockListPullsNotModified,
  mockMerge,
  mockPermission,
  mockPermissionNotFound,
  mockReaction,
  mockRemoveLabel,
  mockTeamMembership,
  OWNER,
  REPO,
} from "../../support/github-mocks.js";
import { tokenOctokit } from "../../support/test-octokit.js";

const TOKEN = "ghs_0123456789abcdefghijklmnopqrstuv";

function makeScm(files: Record<string, string> = {}) {
  const git = fakeCheckout(files);
  const scm = new GitHubScm({
    octokit: tokenOctokit(TOKEN),
    repo: { owner: OWNER, name: REPO },
    openCheckout: git.open,
    cache: new GitHubScmCache(),
    env: {},
  });
  return { scm, git };
}

const spec = {
  branch: "waves/abc1234/canary",
  base: "main",
  title: "bump canary to abc1234",
  body: "body",
  labels: ["waves:promotion", "waves:canary"],
  commit: { message: "bump canary", changes: [{ path: "clusters/c1/app.yaml", content: "x" }] },
};

describe("GitHubScm", () => {
  beforeEach(() => callLedger.reset());
  afterEach(() => assertStrictMocks());

  it("opens a promotion PR: git push with the installation token, create, labels made on demand", async () => {
    const { scm, git } = makeScm();
    mockListOpenPullsForBranch(spec.branch, []);
    mockCreatePr(
      { number: 7, branch: spec.branch },
      (b) => b.head === spec.branch && b.base === "main",
    );
    mockCreateLabel("waves:promotion", 201);
    mockCreateLabel("waves:canary", 422);
    mockAddLabels(7, spec.labels);
    const pr = await scm.ensurePullRequest(spec);
    expect(pr).toMatchObject({
      number: 7,
      state: "open",
      branch: spec.branch,
      labels: spec.labels,
    });
    expect(git.checkout.opened).toEqual([
      { url: `https://github.com/${OWNER}/${REPO}.git`, token: TOKEN },
    ]);
    expect(git.checkout.pushes).toEqual([
      {
        base: "main",
        branch: spec.branch,
        message: "bump canary",
        paths: ["clusters/c1/app.yaml"],
        force: true,
      },
    ]);
    expect(callLedger.count({ target: "github" })).toBe(5);
    expect(callLedger.count({ endpoint: "POST /repos/{owner}/{repo}/pulls", status: 201 })).toBe(1);
  });

  it("adopts the open PR of the branch instead of opening a second one", async () => {
    const { scm, git } = makeScm();
    mockListOpenPullsForBranch(spec.branch, [
      { number: 3, branch: spec.branch, labels: spec.labels },
    ]);
    const pr = await scm.ensurePullRequest(spec);
    expect(pr.number).toBe(3);
    expect(git.checkout.pushes).toHaveLength(0);
  });

  it("adopts the PR another replica opened in between (422 already exists)", async () => {
    const { scm } = makeScm();
    mockListOpenPullsForBranch(spec.branch, []);
    mockCreatePrAlreadyExists();
    mockListOpenPullsForBranch(spec.branch, [
      { number: 4, branch: spec.branch, labels: spec.labels },
    ]);
    mockCreateLabel("waves:promotion");
    mockCreateLabel("waves:canary");
    mockAddLabels(4, spec.labels);
    expect((await scm.ensurePullRequest(spec)).number).toBe(4);
  });

  it.each([
    [200, { sha: "m".repeat(40), merged: true }, { status: "merged", sha: "m".repeat(40) }],
    [
      409,
      { message: "Head branch was modified. Review and try the merge again." },
      {
        status: "head-moved",
        reason: "Head branch was modified. Review and try the merge again.",
      },
    ],
    [422, { message: "Merge conflict" }, { status: "conflict", reason: "Merge conflict" }],
  ])("maps a merge answer %i to a typed outcome", async (status, body, outcome) => {
    const { scm } = makeScm();
    mockMerge(5, "a".repeat(40), status, body);
    expect(await scm.mergePullRequest(5, "a".repeat(40), "merge canary\n\nbody")).toEqual(outcome);
  });

  it("405: blocked with GitHub's message, or already merged", async () => {
    const { scm } = makeScm();
    const blocked = {
      message: "At least 1 approving review is required by reviewers with write access.",
    };
    mockMerge(5, "a".repeat(40), 405, blocked);
    mockGetPr({ number: 5, branch: "b" });
    expect(await scm.mergePullRequest(5, "a".repeat(40), "m")).toEqual({
      status: "blocked",
      reason: blocked.message,
    });
    mockMerge(6, "a".repeat(40), 405, { message: "Pull Request is not mergeable" });
    mockGetPr({ number: 6, branch: "b", merged: true });
    expect(await scm.mergePullRequest(6, "a".repeat(40), "m")).toEqual({
      status: "already-merged",
      sha: "c".repeat(40),
    });
  });

  it("finds rollout PRs by any label, open and recently closed", async () => {
    const { scm } = makeScm();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    mockListPulls("open", [
      { number: 1, branch: "waves/a/canary", labels: ["waves:promotion"] },
      { number: 2, branch: "feature", labels: ["bug"] },
    ]);
    mockListPulls("closed", [
      {
        number: 3,
        branch: "waves/a/revert",
        labels: ["waves:revert"],
        merged: true,
        updatedAt: recent,
      },
      {
        number: 4,
        branch: "waves/0/canary",
        labels: ["waves:promotion"],
        merged: true,
        updatedAt: old,
      },
    ]);
    const prs = await scm.findRolloutPrs(["waves:promotion", "waves:revert"], 7);
    expect(prs.map((p) => [p.number, p.state])).toEqual([
      [1, "open"],
      [3, "merged"],
    ]);
    expect(prs[1]?.mergeCommitSha).toBe("c".repeat(40));
  });

  it("lists again with If-None-Match: a 304 answers from the remembered page", async () => {
    const { scm } = makeScm();
    const recent = new Date(Date.now() - 60_000).toISOString();
    mockListPulls(
      "open",
      [{ number: 1, branch: "waves/a/canary", labels: ["waves:promotion"] }],
      '"e1"',
    );
    mockListPulls(
      "closed",
      [
        {
          number: 2,
          branch: "waves/0/revert",
          labels: ["waves:revert"],
          merged: true,
          updatedAt: recent,
        },
      ],
      '"e2"',
    );
    const first = await scm.findRolloutPrs(["waves:promotion", "waves:revert"]);
    mockListPullsNotModified("open", '"e1"');
    mockListPullsNotModified("closed", '"e2"');
    const second = await scm.findRolloutPrs(["waves:promotion", "waves:revert"]);
    expect(second).toEqual(first);
    expect(second.map((p) => p.number)).toEqual([1, 2]);
    expect(callLedger.count({ endpoint: "GET /repos/{owner}/{repo}/pulls", status: 304 })).toBe(2);
  });

  it("getPullRequest answers undefined on 404", async () => {
    const { scm } = makeScm();
    mockGetPrNotFound(99);
    expect(await scm.getPullRequest(99)).toBeUndefined();
  });

  it("labels: removing an absent label is fine; reactions and comments go to the right place", async () => {
    const { scm } = makeScm();
    mockRemoveLabel(5, "waves:awaiting-approval", 404);
    await scm.setLabels(5, [], ["waves:awaiting-approval"]);
    mockReaction(77, "+1");
    await scm.react(77, "+1");
  });

  it("permissions: role_name wins, 404 is none; team membership must be active", async () => {
    const { scm } = makeScm();
    mockPermission("alice", "write", "maintain");
    mockPermission("bob", "read");
    mockPermissionNotFound("eve");
    expect(await scm.permission("alice")).toBe("maintain");
    expect(await scm.permission("bob")).toBe("read");
    expect(await scm.permission("eve")).toBe("none");
    mockTeamMembership("acme", "platform-leads", "carol", "active");
    mockTeamMembership("acme", "platform-leads", "dave", "pending");
    mockTeamMembership("acme", "platform-leads", "erin", 404);
    expect(await scm.isTeamMember("acme/platform-leads", "carol")).toBe(true);
    expect(await scm.isTeamMember("acme/platform-leads", "dave")).toBe(false);
    expect(await scm.isTeamMember("platform-leads", "erin")).toBe(false);
  });

  it("describes a source change by its merged PR, else by its commit", async () => {
    const { scm } = makeScm();
    const sha = "1".repeat(40);
    mockCommitPulls(sha, [
      { number: 12, branch: "feat", merged: true, title: "Add payments", author: "dev1" },
    ]);
    expect(await scm.describeSourceChange(sha)).toMatchObject({
      author: "dev1",
      pullRequest: 12,
      title: "Add payments",
    });
    mockCommitPulls(sha, []);
    mockGetCommit(sha, "hotfix: x\n\nmore", "dev2");
    expect(await scm.describeSourceChange(sha)).toMatchObject({
      author: "dev2",
      title: "hotfix: x",
    });
  });

  it("file reads, heads and ancestry come from the git clone, not the REST API", async () => {
    const { scm, git } = makeScm({ "main:clusters/c1/app.yaml": "rev: 1\n" });
    expect(await scm.readFile("main", "clusters/c1/app.yaml")).toBe("rev: 1\n");
    expect(await scm.readFile("main", "missing")).toBeUndefined();
    expect(await scm.branchHead("main")).toBe("main-head");
    expect(await scm.isAncestor("abc", "abcdef")).toBe(true);
    expect(git.checkout.opened).toHaveLength(1);
    expect(callLedger.count({ target: "github" })).toBe(0);
  });

  it("counts each request once with its path template and rate-limit header", async () => {
    const ledger = new CallLedger();
    const { countOctokitCalls } = await import("../../../src/scm/github/count-octokit-calls.js");
    const octokit = tokenOctokit(TOKEN);
    countOctokitCalls(octokit, ledger);
    countOctokitCalls(octokit, ledger);
    github()
      .get(`/repos/${OWNER}/${REPO}/pulls/1`)
      .reply(200, {}, { "x-ratelimit-remaining": "4999" });
    await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 1 });
    expect(ledger.all()).toMatchObject([
      {
        target: "github",
        endpoint: "GET /repos/{owner}/{repo}/pulls/{pull_number}",
        status: 200,
        rateLimitRemaining: 4999,
      },
    ]);
  });

  it("posts a once-only comment unless the app already posted it; a user's quote does not count", async () => {
    const { scm } = makeScm();
    const { onceMarker } = await import("../../../src/scm/port.js");
    const marker = onceMarker("halted/r1");
    const once = { once: { key: "halted/r1", by: "waves[bot]" } };
    // Only a user quoted the marker: the app still says it, marker appended.
    mockListComments(4, [{ body: `look: ${marker}`, login: "mallory" }]);
    let posted = "";
    github()
      .post(`/repos/${OWNER}/${REPO}/issues/4/comments`, (b: { body: string }) => {
        posted = b.body;
        return true;
      })
      .reply(201, { id: 902 });
    await scm.comment(4, "Rollout halted", once);
    expect(posted).toBe(`Rollout halted\n\n${marker}`);
    // The app's own comment with the marker is there: nothing is posted (a POST would be unmatched).
    mockListComments(4, [{ body: posted, login: "waves[bot]" }]);
    await scm.comment(4, "Rollout halted", once);
  });

  it("counts the installation-token request too, when the app's Octokit carries the plugin", async () => {
    const { Probot, ProbotOctokit } = await import("probot");
    const { countOctokitCallsPlugin } = await import(
      "../../../src/scm/github/count-octokit-calls.js"
    );
    const { generateAppKeys } = await import("../../support/app-keys.js");
    const { mockAccessToken } = await import("../../support/github-mocks.js");
    // As src/app/main.ts builds it (the plugin counts into the process-wide ledger).
    const Octokit = ProbotOctokit.plugin(countOctokitCallsPlugin).defaults(
      (options: Record<string, unknown>) => ({
        ...options,
        throttle: { enabled: false },
        retry: { enabled: false },
      }),
    );
    const probot = new Probot({
      appId: 1,
      privateKey: generateAppKeys().privateKey,
      Octokit: Octokit as unknown as typeof ProbotOctokit,
    });
    mockAccessToken(7, TOKEN);
    github().get(`/repos/${OWNER}/${REPO}/pulls/2`).reply(200, {});
    const before = callLedger.all().length;
    const octokit = await probot.auth(7);
    await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 2 });
    expect(
      callLedger
        .all()
        .slice(before)
        .map((r) => [r.endpoint, r.status]),
    ).toEqual([
      ["POST /app/installations/{installation_id}/access_tokens", 201],
      ["GET /repos/{owner}/{repo}/pulls/{pull_number}", 200],
    ]);
  });
});
