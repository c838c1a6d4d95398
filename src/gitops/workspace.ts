/**
 * The git workspace: one cached clone per repository under `cacheDir`, created once (a
 * `blob:none` partial clone where the remote is reached over a protocol), then refreshed with
 * incremental fetches of the branch at hand, never re-cloned per promotion. Operations on one
 * repository are serialised; different repositories run in parallel.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../util/logger.js";
import { silentLogger } from "../util/logger.js";
import { type CallLedger, callLedger } from "../util/outward-calls.js";
import { gitEnv } from "./git-env.js";
import { runGitProcess } from "./git-process.js";
import { type ParsedRemote, parseRemote } from "./git-remote.js";
import type { FileChange } from "./types.js";
import { WorkspaceCheckout } from "./workspace-checkout.js";
import { RepoGit, type TokenProvider } from "./workspace-git.js";

export {
  GitAuthError,
  GitCommandError,
  GitPushRejectedError,
  GitRefNotFoundError,
  GitUnreachableError,
  GitWorkspaceError,
} from "./git-errors.js";
export type { TokenProvider } from "./workspace-git.js";

export interface GitRemote {
  /** https://host/owner/repo.git, file:// URL or a local path; never with credentials in it. */
  url: string;
  /** The installation token (sent as `x-access-token`), asked for on every network call. */
  token?: TokenProvider;
}

export interface CommitAndPushOptions {
  /** Branch name (fetched first) or full commit id the commit is built on. */
  base: string;
  /** Branch to push to (`refs/heads/<branch>`). */
  branch: string;
  message: string;
  changes: FileChange[];
  /**
   * Push only if the remote branch is at this commit (force-with-lease; it then replaces the
   * branch, whatever `force` says); "" or all zeros = the branch must not exist yet.
   */
  expectedRemoteSha?: string;
  /** Replace the branch whatever it holds. */
  force?: boolean;
}

export interface CommitAndPushResult {
  sha: string;
  /** False when the branch already held an identical commit (a retried promotion). */
  pushed: boolean;
}

export interface RepoCheckout {
  /** Fetches one branch incrementally; returns its head commit id. */
  fetch(branch: string): Promise<string>;
  /** Head of a branch as last fetched (fetched now if never or too long ago). */
  headOf(branch: string): Promise<string>;
  readFile(ref: string, path: string): Promise<string | undefined>;
  /** Many files with a fixed number of git processes, whatever their count. */
  readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>>;
  commitAndPush(options: CommitAndPushOptions): Promise<CommitAndPushResult>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Paths that differ between two commits; without `before`, what `after` itself changed. */
  changedPaths(before: string | undefined, after: string): Promise<string[]>;
}

export interface GitWorkspaceOptions {
  cacheDir: string;
  /** Author and committer of every commit (the app's bot identity). */
  identity: { name: string; email: string };
  logger?: Logger;
  /** Partial clone (`--filter=blob:none`) for URL remotes; default true. */
  partialClone?: boolean;
  ledger?: CallLedger;
  /** Reads of a branch fetch it again when its last fetch is older than this; default 2 s. */
  maxStaleMs?: number;
  /** A network git call silent for this long is killed; default 120 s. */
  idleTimeoutMs?: number;
  clock?: () => Date;
}

export class GitWorkspace {
  private readonly repos = new Map<string, { git: RepoGit; ready: Promise<WorkspaceCheckout> }>();
  private readonly logger: Logger;

  constructor(private readonly options: GitWorkspaceOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The cached clone of `remote`, cloned on first use. The latest token given is used. */
  async checkout(remote: GitRemote): Promise<RepoCheckout> {
    const parsed = parseRemote(remote.url);
    let entry = this.repos.get(parsed.url);
    if (!entry) {
      const git = new RepoGit({
        dir: join(this.options.cacheDir, parsed.cacheName),
        remote: parsed,
        logger: this.logger,
        ledger: this.options.ledger ?? callLedger,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 120_000,
      });
      git.token = remote.token;
      entry = { git, ready: this.open(git, parsed) };
      this.repos.set(parsed.url, entry);
      // A failed clone is retried by the next checkout, not cached.
      entry.ready.catch(() => this.repos.delete(parsed.url));
    } else if (remote.token) {
      entry.git.token = remote.token;
    }
    return entry.ready;
  }

  private async open(git: RepoGit, remote: ParsedRemote): Promise<WorkspaceCheckout> {
    const partial = (this.options.partialClone ?? true) && remote.kind !== "path";
    const checkout = new WorkspaceCheckout(git, {
      identity: this.options.identity,
      partial,
      maxStaleMs: this.options.maxStaleMs ?? 2_000,
      clock: this.options.clock ?? (() => new Date()),
    });
    const dir = git.options.dir;
    if (await this.reusable(dir, remote)) {
      this.logger.debug({ remote: remote.display }, "reusing cached clone");
      return checkout;
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(this.options.cacheDir, { recursive: true });
    const scratch = `${dir}.tmp-${process.pid}-${Date.now()}`;
    const started = performance.now();
    try {
      await git.network("git clone", "clone", undefined, (env) =>
        git
          .simple(env, this.options.cacheDir)
          .raw([
            "clone",
            "--bare",
            "--no-tags",
            ...(partial ? ["--filter=blob:none"] : []),
            "--",
            remote.url,
            scratch,
          ]),
      );
      const branches = await this.trackBranches(scratch);
      try {
        await rename(scratch, dir);
      } catch (error) {
        // Another process sharing the cache cloned it first: use theirs.
        if (!(await this.reusable(dir, remote))) throw error;
      }
      checkout.markFetched(branches);
      this.logger.info(
        {
          remote: remote.display,
          partial,
          branches: branches.length,
          ms: Math.round(performance.now() - started),
        },
        "cloned repository",
      );
      return checkout;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** A usable bare clone of the same remote: reused without any network call. */
  private async reusable(dir: string, remote: ParsedRemote): Promise<boolean> {
    if (!existsSync(dir)) return false;
    const probe = await runGitProcess(["config", "--get", "remote.origin.url"], {
      cwd: dir,
      env: gitEnv(dir),
    });
    if (probe.code === 0 && probe.stdout.toString("utf8").trim() === remote.url) return true;
    this.logger.warn({ remote: remote.display }, "cached clone unusable, cloning again");
    return false;
  }

  /** Moves the clone's branches to `refs/remotes/origin/*`, where fetches keep them. */
  private async trackBranches(gitDir: string): Promise<string[]> {
    const env = gitEnv(gitDir);
    const listing = await runGitProcess(
      ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/"],
      { cwd: gitDir, env },
    );
    const refs = listing.stdout
      .toString("utf8")
      .split("\n")
      .filter((line) => line.includes(" refs/heads/"))
      .map((line) => {
        const [sha, ref] = line.split(" ") as [string, string];
        return { sha, branch: ref.slice("refs/heads/".length) };
      });
    const input = refs
      .map(
        (r) =>
          `create refs/remotes/origin/${r.branch} ${r.sha}\ndelete refs/heads/${r.branch} ${r.sha}\n`,
      )
      .join("");
    const moved = await runGitProcess(["update-ref", "--stdin"], { cwd: gitDir, env, input });
    const fetchSpec = await runGitProcess(
      ["config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"],
      { cwd: gitDir, env },
    );
    if (listing.code !== 0 || moved.code !== 0 || fetchSpec.code !== 0) {
      throw new Error(
        `could not prepare the clone: ${moved.stderr || listing.stderr || fetchSpec.stderr}`,
      );
    }
    return refs.map((r) => r.branch);
  }
}

/**
 * The opener the GitHub adapter takes (`OpenCheckout` in scm/github/git-checkout.ts): the
 * installation token it is given is used for the calls that follow on that repository.
 */
export function checkoutOpener(
  workspace: GitWorkspace,
): (remote: { url: string; token: string }) => Promise<RepoCheckout> {
  return (remote) => workspace.checkout({ url: remote.url, token: () => remote.token });
}
