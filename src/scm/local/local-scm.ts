/**
 * The SCM port over a local bare git repository: real commits on real branches, real `--no-ff`
 * merges into the base branch; pull requests, labels, comments, reactions, check runs and
 * permissions kept in memory, or in a JSON file so that a second instance (a "restarted" app)
 * sees the same truth. Used by the demo and by the engine tests. No policy here.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  type CheckRun,
  type CheckRunSpec,
  type CommentOptions,
  commentText,
  type MergeOutcome,
  type Permission,
  type PullRequest,
  type PullRequestSpec,
  type Reaction,
  type RepoRef,
  type ScmPort,
  type SourceChange,
} from "../port.js";
import { toCheckRun, writeCheckRun } from "./local-check-runs.js";
import { LocalGit, type LocalGitIdentity } from "./local-git.js";
import {
  emptyLocalState,
  type LocalComment,
  type LocalState,
  type StoredCheckRun,
} from "./local-state.js";

export interface LocalScmOptions {
  /** Path of the bare repository that plays the hosted repository. */
  gitDir: string;
  repo?: RepoRef;
  /** Keep the state here (JSON) so several instances share it; default in memory only. */
  stateFile?: string;
  /** Repository permission per login; others get `defaultPermission`. */
  permissions?: Record<string, Permission>;
  defaultPermission?: Permission;
  /** Team (`org/slug`) → member logins. */
  teams?: Record<string, string[]>;
  /** Who the adapter commits and merges as. */
  identity?: LocalGitIdentity;
  /** Login recorded as the author of the pull requests it opens. */
  appLogin?: string;
  clock?: () => Date;
  /** Base of the URLs it hands out (PRs, commits). */
  urlBase?: string;
}

const DAY_MS = 86_400_000;

export class LocalScm implements ScmPort {
  readonly repo: RepoRef;
  readonly git: LocalGit;
  private memory: LocalState = emptyLocalState();
  private readonly clock: () => Date;
  private readonly urlBase: string;

  constructor(private readonly options: LocalScmOptions) {
    this.repo = options.repo ?? { owner: "local", name: "gitops" };
    this.clock = options.clock ?? (() => new Date());
    this.git = new LocalGit(
      options.gitDir,
      options.identity ?? { name: "waves[bot]", email: "waves@gitops-waves.invalid" },
      this.clock,
    );
    this.urlBase = options.urlBase ?? `local://${this.repo.owner}/${this.repo.name}`;
  }

  // --- state ------------------------------------------------------------------------------

  private load(): LocalState {
    const file = this.options.stateFile;
    if (file && existsSync(file))
      this.memory = JSON.parse(readFileSync(file, "utf8")) as LocalState;
    return this.memory;
  }

  private save(state: LocalState): void {
    this.memory = state;
    const file = this.options.stateFile;
    if (!file) return;
    const scratch = `${file}.${process.pid}.tmp`;
    writeFileSync(scratch, JSON.stringify(state, null, 2));
    renameSync(scratch, file);
  }

  private mutate<T>(change: (state: LocalState) => T): T {
    const state = this.load();
    const result = change(state);
    this.save(state);
    return result;
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** Open PRs follow their branch (someone may have pushed to it). */
  private async refresh(pr: PullRequest): Promise<PullRequest> {
    if (pr.state !== "open") return { ...pr, labels: [...pr.labels] };
    const head = await this.git.revParse(`refs/heads/${pr.branch}`);
    return { ...pr, labels: [...pr.labels], ...(head ? { headSha: head } : {}) };
  }

  // --- test and demo helpers --------------------------------------------------------------

  /** Every pull request, oldest first. */
  pullRequests(): PullRequest[] {
    return this.load().pulls.map((pr) => ({ ...pr, labels: [...pr.labels] }));
  }

  comments(pr?: number): LocalComment[] {
    return this.load().comments.filter((c) => pr === undefined || c.pr === pr);
  }

  checkRuns(): StoredCheckRun[] {
    return this.load().checkRuns.map((run) => ({ ...run }));
  }

  reactions(commentId?: number): { commentId: number; reaction: Reaction }[] {
    return this.load().reactions.filter(
      (r) => commentId === undefined || r.commentId === commentId,
    );
  }

  /** Records a user's comment (as GitHub would) and returns its id. */
  addComment(pr: number, author: string, body: string): number {
    return this.mutate((state) => {
      const id = state.nextCommentId++;
      state.comments.push({ id, pr, author, body, createdAt: this.now() });
      return id;
    });
  }

  /** Makes merges of `pr` fail as branch protection would, until cleared with undefined. */
  blockMerge(pr: number, reason: string | undefined): void {
    this.mutate((state) => {
      if (reason === undefined) delete state.blocked[String(pr)];
      else state.blocked[String(pr)] = reason;
    });
  }

  setPermission(login: string, permission: Permission): void {
    this.options.permissions = { ...this.options.permissions, [login]: permission };
  }

  /** What `describeSourceChange` answers for `sha` (e.g. the pull request it was merged in). */
  registerSourceChange(change: SourceChange): void {
    this.mutate((state) => {
      state.sourceChanges[change.sha] = change;
    });
  }

  // --- pull requests ----------------------------------------------------------------------

  async findRolloutPrs(labels: string[], sinceDays = 14): Promise<PullRequest[]> {
    const wanted = new Set(labels);
    const cutoff = this.clock().getTime() - sinceDays * DAY_MS;
    const pulls = this.load().pulls.filter(
      (pr) =>
        pr.labels.some((label) => wanted.has(label)) &&
        (pr.state === "open" || Date.parse(pr.closedAt ?? pr.createdAt) >= cutoff),
    );
    return Promise.all(pulls.map((pr) => this.refresh(pr)));
  }

  async getPullRequest(number: number): Promise<PullRequest | undefined> {
    const pr = this.load().pulls.find((p) => p.number === number);
    return pr ? this.refresh(pr) : undefined;
  }

  async ensurePullRequest(spec: PullRequestSpec): Promise<PullRequest> {
    const existing = this.load().pulls.find((p) => p.state === "open" && p.branch === spec.branch);
    if (existing) {
      const missing = spec.labels.filter((label) => !existing.labels.includes(label));
      if (missing.length > 0) await this.setLabels(existing.number, missing, []);
      return (await this.getPullRequest(existing.number)) as PullRequest;
    }
    const parent = spec.commit.baseSha ?? (await this.branchHead(spec.base));
    const sha = await this.git.commitOnto(parent, spec.commit.message, spec.commit.changes);
    // The branch name is deterministic; a leftover from an earlier attempt is replaced.
    await this.git.updateRef(spec.branch, sha);
    return this.mutate((state) => {
      const number = state.nextNumber++;
      const pr = {
        number,
        url: `${this.urlBase}/pull/${number}`,
        state: "open" as const,
        title: spec.title,
        body: spec.body,
        branch: spec.branch,
        base: spec.base,
        headSha: sha,
        createdAt: this.now(),
        labels: [...new Set(spec.labels)],
        author: this.options.appLogin ?? "waves[bot]",
      };
      state.pulls.push(pr);
      return { ...pr, labels: [...pr.labels] };
    });
  }

  async mergePullRequest(
    number: number,
    expectedHeadSha: string,
    message: string,
  ): Promise<MergeOutcome> {
    const pr = await this.getPullRequest(number);
    if (!pr) return { status: "conflict", reason: `pull request #${number} does not exist` };
    if (pr.state === "merged" && pr.mergeCommitSha) {
      return { status: "already-merged", sha: pr.mergeCommitSha };
    }
    if (pr.state === "closed") return { status: "blocked", reason: "the pull request is closed" };
    const blocked = this.load().blocked[String(number)];
    if (blocked) return { status: "blocked", reason: blocked };
    if (pr.headSha !== expectedHeadSha) {
      return {
        status: "head-moved",
        reason: `head is ${pr.headSha.slice(0, 7)}, expected ${expectedHeadSha.slice(0, 7)}`,
      };
    }
    const baseSha = await this.branchHead(pr.base);
    const merged = await this.git.mergeNoFf(baseSha, pr.headSha, message);
    if ("conflict" in merged) return { status: "conflict", reason: merged.conflict };
    await this.git.updateRef(pr.base, merged.sha, baseSha);
    this.mutate((state) => {
      const stored = state.pulls.find((p) => p.number === number);
      if (!stored) return;
      stored.state = "merged";
      stored.headSha = pr.headSha;
      stored.mergeCommitSha = merged.sha;
      stored.mergedAt = this.now();
      stored.closedAt = stored.mergedAt;
    });
    return { status: "merged", sha: merged.sha };
  }

  async closePullRequest(number: number): Promise<void> {
    const pr = await this.getPullRequest(number);
    this.mutate((state) => {
      const stored = state.pulls.find((p) => p.number === number);
      if (stored?.state !== "open") return;
      stored.state = "closed";
      if (pr) stored.headSha = pr.headSha;
      stored.closedAt = this.now();
    });
  }

  async updatePullRequestBody(number: number, body: string): Promise<void> {
    this.mutate((state) => {
      const stored = state.pulls.find((p) => p.number === number);
      if (stored) stored.body = body;
    });
  }

  async setLabels(number: number, add: string[], remove: string[]): Promise<void> {
    this.mutate((state) => {
      const stored = state.pulls.find((p) => p.number === number);
      if (!stored) throw new Error(`pull request #${number} does not exist`);
      stored.labels = [...new Set([...stored.labels, ...add])].filter((l) => !remove.includes(l));
    });
  }

  async comment(number: number, body: string, options: CommentOptions = {}): Promise<void> {
    this.mutate((state) => {
      const text = commentText(body, options, () => state.comments.filter((c) => c.pr === number));
      if (text === undefined) return;
      const id = state.nextCommentId++;
      state.comments.push({
        id,
        pr: number,
        author: this.options.appLogin ?? "waves[bot]",
        body: text,
        createdAt: this.now(),
      });
    });
  }

  async react(commentId: number, reaction: Reaction): Promise<void> {
    this.mutate((state) => {
      const seen = state.reactions.some(
        (r) => r.commentId === commentId && r.reaction === reaction,
      );
      if (!seen) state.reactions.push({ commentId, reaction });
    });
  }

  // --- check runs -------------------------------------------------------------------------

  async findCheckRun(name: string, headSha: string): Promise<CheckRun | undefined> {
    const runs = this.load().checkRuns.filter((r) => r.name === name && r.headSha === headSha);
    const run = runs.at(-1);
    return run ? toCheckRun(run) : undefined;
  }

  async setCheckRun(spec: CheckRunSpec): Promise<CheckRun> {
    return this.mutate((state) => writeCheckRun(state, spec, this.now()));
  }

  // --- people -----------------------------------------------------------------------------

  async permission(login: string): Promise<Permission> {
    return this.options.permissions?.[login] ?? this.options.defaultPermission ?? "read";
  }

  async isTeamMember(team: string, login: string): Promise<boolean> {
    const members = this.options.teams?.[team] ?? [];
    return members.some((m) => m.toLowerCase() === login.toLowerCase());
  }

  // --- git --------------------------------------------------------------------------------

  readFile(ref: string, path: string): Promise<string | undefined> {
    return this.git.readFile(ref, path);
  }

  readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    return this.git.readFiles(ref, paths);
  }

  async branchHead(branch: string): Promise<string> {
    const sha = await this.git.revParse(`refs/heads/${branch}`);
    if (!sha) throw new Error(`branch ${branch} does not exist in ${this.options.gitDir}`);
    return sha;
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.git.isAncestor(ancestor, descendant);
  }

  async describeSourceChange(sha: string): Promise<SourceChange> {
    const known = this.load().sourceChanges[sha];
    if (known) return { ...known };
    const info = await this.git.commitInfo(sha);
    return { sha, title: info.subject, author: info.author, url: `${this.urlBase}/commit/${sha}` };
  }
}
