/**
 * The fake GitHub itself: app JWT → installation token, token-authenticated git over HTTP,
 * real merges, signed webhooks, and Octokit (the client the app uses) reading its answers.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKeys } from "../support/app-keys.js";
import { FakeGitHub } from "../support/fake-github/fake-github.js";
import { WebhookSender } from "../support/fake-github/webhook-sender.js";
import { TestOctokit } from "../support/test-octokit.js";

const exec = promisify(execFile);
const SECRET = "webhook-secret-for-tests";
const keys = generateAppKeys();

interface Received {
  event: string;
  signatureValid: boolean;
  payload: {
    action?: string;
    ref?: string;
    sender?: { login: string };
    commits?: { modified: string[] }[];
  };
}

describe("fake GitHub", () => {
  let fake: FakeGitHub;
  let receiver: Server;
  let dir: string;
  const received: Received[] = [];

  beforeAll(async () => {
    fake = await FakeGitHub.start({ appId: 42, publicKey: keys.publicKey, webhookSecret: SECRET });
    await fake.createRepo("acme/fleet", { "clusters/c1/app.yaml": "rev: v1\n" });
    fake.grant("acme/fleet", "alice", "write");
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        received.push({
          event: String(req.headers["x-github-event"]),
          signatureValid: req.headers["x-hub-signature-256"] === WebhookSender.sign(SECRET, body),
          payload: JSON.parse(body),
        });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    fake.webhooks.url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    dir = await mkdtemp(join(tmpdir(), "fake-github-test-"));
  });

  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("issues installation tokens for a valid app JWT only, and serves git and REST with them", async () => {
    const app = new TestOctokit({
      baseUrl: fake.apiUrl,
      auth: { appId: 42, privateKey: keys.privateKey },
    });
    expect((await app.rest.apps.getAuthenticated()).data?.slug).toBe("waves");
    const { token } = (await app.auth({ type: "installation", installationId: 1 })) as {
      token: string;
    };
    expect(token).toMatch(/^ghs_/);
    const wrongKey = generateAppKeys().privateKey;
    const forged = new TestOctokit({
      baseUrl: fake.apiUrl,
      auth: { appId: 42, privateKey: wrongKey },
    });
    await expect(forged.rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });

    const auth = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
    const gitEnv = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "bot",
      GIT_AUTHOR_EMAIL: "bot@example.com",
      GIT_COMMITTER_NAME: "bot",
      GIT_COMMITTER_EMAIL: "bot@example.com",
    };
    const url = `${fake.baseUrl}/acme/fleet.git`;
    await expect(
      exec("git", ["clone", "-q", url, join(dir, "denied")], { env: gitEnv }),
    ).rejects.toThrow();
    const work = join(dir, "work");
    await exec("git", ["-c", `http.extraHeader=${auth}`, "clone", "-q", url, work], {
      env: gitEnv,
    });
    expect(await readFile(join(work, "clusters/c1/app.yaml"), "utf8")).toBe("rev: v1\n");
    await exec("git", ["checkout", "-q", "-b", "waves/abc1234/canary"], { cwd: work, env: gitEnv });
    await writeFile(join(work, "clusters/c1/app.yaml"), "rev: v2\n");
    await exec("git", ["commit", "-q", "-am", "bump canary"], { cwd: work, env: gitEnv });
    await exec(
      "git",
      ["-c", `http.extraHeader=${auth}`, "push", "-q", "origin", "waves/abc1234/canary"],
      { cwd: work, env: gitEnv },
    );
    const headSha = (await exec("git", ["rev-parse", "HEAD"], { cwd: work })).stdout.trim();

    const octokit = new TestOctokit({ baseUrl: fake.apiUrl, auth: { token } });
    const params = { owner: "acme", repo: "fleet" };
    const { data: pr } = await octokit.rest.pulls.create({
      ...params,
      head: "waves/abc1234/canary",
      base: "main",
      title: "bump canary",
    });
    expect(pr.head.sha).toBe(headSha);
    await expect(
      octokit.rest.pulls.create({
        ...params,
        head: "waves/abc1234/canary",
        base: "main",
        title: "again",
      }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.issues.addLabels({
      ...params,
      issue_number: pr.number,
      labels: ["waves:promotion"],
    });
    const listed = await octokit.paginate(octokit.rest.pulls.list, {
      ...params,
      state: "open",
      per_page: 100,
    });
    expect(listed.map((p) => [p.number, p.labels.map((l) => l.name)])).toEqual([
      [pr.number, ["waves:promotion"]],
    ]);

    await expect(
      octokit.rest.pulls.merge({
        ...params,
        pull_number: pr.number,
        sha: "0".repeat(40),
        merge_method: "merge",
      }),
    ).rejects.toMatchObject({ status: 409 });
    const merged = await octokit.rest.pulls.merge({
      ...params,
      pull_number: pr.number,
      sha: headSha,
      merge_method: "merge",
    });
    expect(merged.data.merged).toBe(true);
    expect(await fake.readFile("acme/fleet", "main", "clusters/c1/app.yaml")).toBe("rev: v2\n");
    const parents = (
      await exec("git", ["log", "-1", "--format=%P", merged.data.sha], {
        cwd: fake.repo("acme/fleet").git.path,
      })
    ).stdout
      .trim()
      .split(" ");
    expect(parents).toHaveLength(2);
    expect(parents[1]).toBe(headSha);

    const check = await octokit.rest.checks.create({
      ...params,
      name: "waves / canary",
      head_sha: headSha,
      status: "in_progress",
      output: { title: "t", summary: "s" },
    });
    const runs = await octokit.rest.checks.listForRef({
      ...params,
      ref: headSha,
      check_name: "waves / canary",
      filter: "latest",
    });
    expect(runs.data.check_runs.map((r) => r.id)).toEqual([check.data.id]);
    expect(
      (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...params, username: "alice" }))
        .data.permission,
    ).toBe("write");

    await fake.webhooks.idle();
    const pushes = received.filter((r) => r.event === "push");
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(pushes.map((p) => [p.payload.ref, p.payload.sender?.login])).toEqual([
      ["refs/heads/waves/abc1234/canary", "waves[bot]"],
      ["refs/heads/main", "waves[bot]"],
    ]);
    expect(pushes[0]?.payload.commits?.[0]?.modified).toEqual(["clusters/c1/app.yaml"]);
    expect(received.filter((r) => r.event === "pull_request").map((r) => r.payload.action)).toEqual(
      ["opened", "closed"],
    );
  });

  it("a user's merge through a PR and comments arrive as webhooks from that user", async () => {
    received.length = 0;
    const { pr, sha } = await fake.mergeChange("acme/fleet", {
      files: { "base/app.txt": "hello\n" },
      title: "Add app @acme/platform",
      author: "alice",
    });
    expect(pr.merged).toBe(true);
    expect(await fake.readFile("acme/fleet", sha, "base/app.txt")).toBe("hello\n");
    await fake.comment("acme/fleet", pr.number, "alice", "/approve wave-2");
    await fake.webhooks.idle();
    expect(
      received.map((r) => [r.event, r.payload.action ?? r.payload.ref, r.payload.sender?.login]),
    ).toEqual([
      ["pull_request", "opened", "alice"],
      ["push", "refs/heads/main", "alice"],
      ["pull_request", "closed", "alice"],
      ["issue_comment", "created", "alice"],
    ]);
  });
});
