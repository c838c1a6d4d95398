/**
 * A fake GitHub (Enterprise Server layout: REST under `/api/v3`, git at `/<owner>/<repo>.git`)
 * for black-box tests of the real app process. State is in memory; repositories are real bare
 * git repositories served by git http-backend with the installation tokens the fake issued;
 * merges are real git merges; webhooks go back to the app signed with the webhook secret.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeHttpHandler } from "./fake-http.js";
import type { Caller, Route } from "./fake-router.js";
import type { FakeCheckRun, FakeComment, FakePull, FakeUser } from "./fake-state.js";
import { BareRepo } from "./git-backend.js";
import { restRoutes } from "./rest-routes.js";
import { repositoryJson, userEvents } from "./webhook-payloads.js";
import { WebhookSender } from "./webhook-sender.js";

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  git: BareRepo;
  labels: Set<string>;
  pulls: FakePull[];
  comments: FakeComment[];
  checkRuns: FakeCheckRun[];
  /** Branch → message GitHub answers a merge into it with (405), e.g. required reviews. */
  protections: Map<string, string>;
  permissions: Map<string, string>;
  /**
   * The repository setting "Automatically delete head branches" (`delete_branch_on_merge`):
   * after a merge the PR's head branch is deleted (the PR keeps its head sha, as on GitHub).
   */
  deleteBranchOnMerge: boolean;
}

export interface RequestLogEntry {
  method: string;
  /** Method and path template, as the app's call ledger names it. */
  endpoint: string;
  path: string;
  status: number;
  caller: Caller["kind"];
  at: number;
}

export interface FakeGitHubOptions {
  appId: number;
  appSlug?: string;
  /** The app's RSA public key (PEM), to verify its JWTs. */
  publicKey: string;
  webhookSecret: string;
  installationId?: number;
}

export class FakeGitHub {
  readonly appId: number;
  readonly appSlug: string;
  readonly installationId: number;
  readonly repos = new Map<string, FakeRepo>();
  readonly users = new Map<string, FakeUser>();
  readonly teams = new Map<string, Set<string>>();
  readonly tokens = new Map<string, { installationId: number; expiresAt: number }>();
  readonly requests: RequestLogEntry[] = [];
  readonly webhooks: WebhookSender;
  /** Answer every REST request with this status instead (simulating an outage). */
  outage: number | undefined;
  private nextId = 100;
  private server!: Server;
  private root!: string;
  private readonly routes: Route[];
  baseUrl = "";
  readonly bot: FakeUser;

  constructor(readonly options: FakeGitHubOptions) {
    this.appId = options.appId;
    this.appSlug = options.appSlug ?? "waves";
    this.installationId = options.installationId ?? 1;
    this.webhooks = new WebhookSender(options.webhookSecret);
    this.bot = { login: `${this.appSlug}[bot]`, id: 9_000_000 + options.appId, type: "Bot" };
    this.users.set(this.bot.login, this.bot);
    this.routes = restRoutes(this);
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    fake.root = await mkdtemp(join(tmpdir(), "fake-github-"));
    const handler = fakeHttpHandler(fake, fake.routes, options.publicKey);
    fake.server = createServer((req, res) => {
      handler(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** Where the bare repositories live (`<owner>/<name>.git`). */
  get gitRoot(): string {
    return this.root;
  }

  /** `127.0.0.1:<port>`, for `GHE_HOST`. */
  get host(): string {
    return this.baseUrl.replace(/^http:\/\//, "");
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v3`;
  }

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  async close(): Promise<void> {
    this.webhooks.url = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.root, { recursive: true, force: true });
  }

  // ----- test-facing API -----

  repo(fullName: string): FakeRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`fake GitHub has no repository ${fullName}`);
    return repo;
  }

  async createRepo(fullName: string, files: Record<string, string>): Promise<FakeRepo> {
    const [owner = "", name = ""] = fullName.split("/");
    const git = await BareRepo.init(this.root, owner, name);
    await git.commitFiles("main", files, "Initial commit", {
      name: "Admin",
      email: "admin@example.com",
    });
    const repo: FakeRepo = {
      owner,
      name,
      id: this.id(),
      defaultBranch: "main",
      git,
      labels: new Set(),
      pulls: [],
      comments: [],
      checkRuns: [],
      protections: new Map(),
      permissions: new Map(),
      deleteBranchOnMerge: false,
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  user(login: string): FakeUser {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.id(), type: login.endsWith("[bot]") ? "Bot" : "User" };
      this.users.set(login, user);
    }
    return user;
  }

  grant(
    fullName: string,
    login: string,
    permission: "admin" | "maintain" | "write" | "triage" | "read",
  ): void {
    this.user(login);
    this.repo(fullName).permissions.set(login, permission);
  }

  addTeamMember(team: string, login: string): void {
    this.user(login);
    const members = this.teams.get(team) ?? new Set<string>();
    members.add(login);
    this.teams.set(team, members);
  }

  /** A direct push by a user: one commit on `branch`, then the `push` webhook. */
  async pushCommit(
    fullName: string,
    change: {
      branch?: string;
      files: Record<string, string>;
      message: string;
      author: string;
      removals?: string[];
    },
  ): Promise<string> {
    const repo = this.repo(fullName);
    const branch = change.branch ?? repo.defaultBranch;
    const before = await repo.git.head(branch);
    const sha = await repo.git.commitFiles(
      branch,
      change.files,
      change.message,
      this.identity(change.author),
      change.removals,
    );
    await this.afterRefUpdate(repo, `refs/heads/${branch}`, before, sha, this.user(change.author));
    return sha;
  }

  /**
   * A change merged to the default branch through a pull request by `author` (merged by
   * `merger`, default the author): the PR exists, is merged, and the push arrives.
   */
  async mergeChange(
    fullName: string,
    change: {
      files: Record<string, string>;
      title: string;
      author: string;
      merger?: string;
      branch?: string;
    },
  ): Promise<{ sha: string; pr: FakePull }> {
    const repo = this.repo(fullName);
    const branch = change.branch ?? `feature/${this.id()}`;
    const base = repo.defaultBranch;
    const baseSha = (await repo.git.head(base)) ?? "";
    // The feature branch starts at the base head.
    await repo.git.createBranch(branch, baseSha);
    await repo.git.commitFiles(branch, change.files, change.title, this.identity(change.author));
    const pr = this.openPull(repo, {
      title: change.title,
      body: "",
      head: branch,
      headSha: (await repo.git.head(branch)) ?? "",
      base,
      baseSha,
      user: this.user(change.author),
    });
    const result = await this.mergePull(
      repo,
      pr,
      `Merge pull request #${pr.number} from ${repo.owner}/${branch}`,
      this.user(change.merger ?? change.author),
    );
    if (result.status !== "merged") throw new Error(`could not merge ${branch}: ${result.status}`);
    return { sha: result.sha, pr };
  }

  async comment(
    fullName: string,
    prNumber: number,
    login: string,
    body: string,
  ): Promise<FakeComment> {
    const repo = this.repo(fullName);
    const comment = this.addComment(repo, prNumber, this.user(login), body);
    const pr = repo.pulls.find((p) => p.number === prNumber);
    this.webhooks.send(
      "issue_comment",
      userEvents.issueComment(this, repo, pr, comment, "created"),
    );
    return comment;
  }

  async editComment(fullName: string, commentId: number, body: string): Promise<void> {
    const repo = this.repo(fullName);
    const comment = repo.comments.find((c) => c.id === commentId);
    if (!comment) throw new Error(`no comment ${commentId}`);
    comment.body = body;
    const pr = repo.pulls.find((p) => p.number === comment.issue);
    this.webhooks.send("issue_comment", userEvents.issueComment(this, repo, pr, comment, "edited"));
  }

  /** A user clicks a check run's button (`requested_action`) or "Re-run" (`rerequested`). */
  checkRunEvent(
    fullName: string,
    runId: number,
    login: string,
    action: "requested_action" | "rerequested",
    identifier?: string,
  ): void {
    const repo = this.repo(fullName);
    const run = repo.checkRuns.find((r) => r.id === runId);
    if (!run) throw new Error(`no check run ${runId}`);
    this.webhooks.send(
      "check_run",
      userEvents.checkRun(this, repo, run, this.user(login), action, identifier),
    );
  }

  pullsOf(fullName: string): FakePull[] {
    return this.repo(fullName).pulls;
  }

  checkRunsOf(fullName: string): FakeCheckRun[] {
    return this.repo(fullName).checkRuns;
  }

  async readFile(fullName: string, ref: string, path: string): Promise<string | undefined> {
    return this.repo(fullName).git.readFile(ref, path);
  }

  // ----- shared with the REST routes -----

  identity(login: string): { name: string; email: string } {
    const user = this.user(login);
    return { name: login, email: `${user.id}+${login}@users.noreply.example.com` };
  }

  loginForEmail(email: string): string | undefined {
    const m = /^\d+\+(.+)@users\.noreply\.example\.com$/.exec(email);
    return m?.[1];
  }

  openPull(
    repo: FakeRepo,
    spec: {
      title: string;
      body: string;
      head: string;
      headSha: string;
      base: string;
      baseSha: string;
      user: FakeUser;
    },
  ): FakePull {
    const now = new Date().toISOString();
    const pr: FakePull = {
      number: this.nextIssueNumber(repo),
      owner: repo.owner,
      repo: repo.name,
      ...spec,
      state: "open",
      merged: false,
      mergeCommitSha: null,
      mergedAt: null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      labels: [],
      mergeableState: "clean",
    };
    repo.pulls.push(pr);
    this.webhooks.send("pull_request", userEvents.pullRequest(this, repo, pr, spec.user, "opened"));
    return pr;
  }

  private nextIssueNumber(repo: FakeRepo): number {
    return repo.pulls.length + 1;
  }

  addComment(repo: FakeRepo, issue: number, user: FakeUser, body: string): FakeComment {
    const comment: FakeComment = {
      id: this.id(),
      issue,
      body,
      user,
      createdAt: new Date().toISOString(),
      reactions: [],
    };
    repo.comments.push(comment);
    return comment;
  }

  async mergePull(
    repo: FakeRepo,
    pr: FakePull,
    message: string,
    merger: FakeUser,
  ): Promise<{ status: "merged"; sha: string } | { status: "conflict" }> {
    const before = await repo.git.head(pr.base);
    const result = await repo.git.merge(pr.base, pr.headSha, message, this.identity(merger.login));
    if (result.status === "conflict") {
      pr.mergeableState = "dirty";
      return result;
    }
    const now = new Date().toISOString();
    pr.state = "closed";
    pr.merged = true;
    pr.mergeCommitSha = result.sha;
    pr.mergedAt = now;
    pr.closedAt = now;
    pr.updatedAt = now;
    await this.afterRefUpdate(repo, `refs/heads/${pr.base}`, before, result.sha, merger);
    this.webhooks.send("pull_request", userEvents.pullRequest(this, repo, pr, merger, "closed"));
    if (repo.deleteBranchOnMerge) await this.deleteHeadBranch(repo, pr, merger);
    return result;
  }

  /**
   * What "Automatically delete head branches" does after a merge: the head branch goes (with a
   * `delete` and a deleting `push` webhook, sent as the merger), unless it is the default branch,
   * the base of another open PR (GitHub would retarget those; the fake keeps the branch instead)
   * or it moved since the merge.
   */
  private async deleteHeadBranch(repo: FakeRepo, pr: FakePull, merger: FakeUser): Promise<void> {
    if (pr.head === repo.defaultBranch) return;
    if (repo.pulls.some((p) => p.state === "open" && p.base === pr.head)) return;
    if (!(await repo.git.deleteBranch(pr.head, pr.headSha))) return;
    this.webhooks.send("delete", userEvents.branchDeleted(this, repo, pr.head, merger));
    await this.afterRefUpdate(repo, `refs/heads/${pr.head}`, pr.headSha, undefined, merger);
  }

  /** After any ref moved (REST merge, a user's push, the app's git push): PR heads and `push`. */
  async afterRefUpdate(
    repo: FakeRepo,
    ref: string,
    before: string | undefined,
    after: string | undefined,
    sender: FakeUser,
  ): Promise<void> {
    const branch = ref.replace(/^refs\/heads\//, "");
    for (const pr of repo.pulls) {
      if (pr.state === "open" && pr.head === branch && after) {
        pr.headSha = after;
        pr.updatedAt = new Date().toISOString();
      }
    }
    this.webhooks.send("push", await userEvents.push(this, repo, ref, before, after, sender));
  }

  issueToken(installationId: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = Date.now() + 3_600_000;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  toRepositoryJson(repo: FakeRepo) {
    return repositoryJson(this, repo);
  }
}
