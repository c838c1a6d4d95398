/**
 * A fake GitHub (Enterprise Server layout: REST under `/api/v3`, git at `/<owner>/<repo>.git`)
 * for black-box tests of the real app process. State is in memory; repositories are real bare
 * git repositories served by git http-backend with the installation tokens the fake issued;
 * merges are real git merges; webhooks go back to the app signed with the webhook secret.
 */
import { createHash, createVerify, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Caller, match, notFound, type Route } from "./fake-router.js";
import type { FakeCheckRun, FakeComment, FakePull, FakeUser } from "./fake-state.js";
import { BareRepo, serveGit } from "./git-backend.js";
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

  constructor(private readonly options: FakeGitHubOptions) {
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
    fake.server = createServer((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
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
    return result;
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

  // ----- HTTP -----

  private verifyJwt(token: string): boolean {
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return false;
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    if (!verifier.verify(this.options.publicKey, Buffer.from(signature, "base64url"))) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
      iss?: unknown;
      exp?: number;
    };
    return (
      String(claims.iss) === String(this.appId) && (claims.exp ?? 0) * 1000 > Date.now() - 60_000
    );
  }

  issueToken(installationId: number): { token: string; expiresAt: string } {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = Date.now() + 3_600_000;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  private callerOf(req: IncomingMessage): Caller | "invalid" {
    const header = req.headers.authorization;
    if (!header) return { kind: "none" };
    const m = /^(?:bearer|token)\s+(\S+)$/i.exec(header);
    if (!m?.[1]) return "invalid";
    const token = m[1];
    if (token.split(".").length === 3) return this.verifyJwt(token) ? { kind: "app" } : "invalid";
    const issued = this.tokens.get(token);
    if (!issued || issued.expiresAt < Date.now()) return "invalid";
    return { kind: "installation", installationId: issued.installationId, login: this.bot.login };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const gitMatch = /^\/([^/]+)\/([^/]+?\.git)(\/.*)$/.exec(url.pathname);
    if (gitMatch) return this.handleGit(req, res, gitMatch, url);
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    const found = match(this.routes, req.method ?? "GET", path);
    const caller = this.callerOf(req);
    const body = await readJson(req);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const text = payload === undefined ? "" : JSON.stringify(payload);
      // Conditional GETs like GitHub's: a strong ETag over the body; a match answers 304.
      let etag: string | undefined;
      if (req.method === "GET" && status === 200) {
        etag = `"${createHash("sha1").update(text).digest("hex")}"`;
        if (req.headers["if-none-match"] === etag) {
          status = 304;
        }
      }
      this.requests.push({
        method: req.method ?? "GET",
        endpoint: `${req.method} ${found?.route.template ?? path}`,
        path,
        status,
        caller: caller === "invalid" ? "none" : caller.kind,
        at: Date.now(),
      });
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-github-request-id": randomBytes(4).toString("hex"),
        ...(etag ? { etag } : {}),
        ...headers,
      });
      res.end(status === 304 ? "" : text);
    };
    if (caller === "invalid") return send(401, { message: "Bad credentials" });
    if (this.outage !== undefined && path !== "/meta")
      return send(this.outage, { message: "Service unavailable" });
    if (!found) {
      const r = notFound();
      return send(r.status, r.body);
    }
    const need = found.route.auth;
    if (need === "app" && caller.kind !== "app") {
      return send(401, { message: "A JSON web token could not be decoded" });
    }
    if (need === "installation" && caller.kind !== "installation") {
      return send(401, { message: "Requires authentication" });
    }
    const result = await found.route.handler({
      method: req.method ?? "GET",
      params: found.params,
      query: url.searchParams,
      body,
      caller,
      req,
    });
    send(result.status, result.body, result.headers);
  }

  private async handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    m: RegExpExecArray,
    url: URL,
  ): Promise<void> {
    const owner = m[1] ?? "";
    const name = (m[2] ?? "").replace(/\.git$/, "");
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) {
      res.writeHead(404).end("Repository not found");
      return;
    }
    const isPush = url.pathname.endsWith("/git-receive-pack");
    const before = isPush ? await repo.git.refs() : undefined;
    await serveGit(
      this.root,
      req,
      res,
      `/${owner}/${name}.git${m[3] ?? ""}`,
      url.search.slice(1),
      (token) => {
        const issued = token ? this.tokens.get(token) : undefined;
        return issued && issued.expiresAt >= Date.now() ? this.bot.login : undefined;
      },
    );
    this.requests.push({
      method: req.method ?? "GET",
      endpoint: `GIT ${m[3]}`,
      path: url.pathname,
      status: res.statusCode,
      caller: "installation",
      at: Date.now(),
    });
    if (before) {
      const after = await repo.git.refs();
      const refs = new Set([...before.keys(), ...after.keys()]);
      for (const ref of refs) {
        if (before.get(ref) !== after.get(ref)) {
          await this.afterRefUpdate(repo, ref, before.get(ref), after.get(ref), this.bot);
        }
      }
    }
  }

  toRepositoryJson(repo: FakeRepo) {
    return repositoryJson(this, repo);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
