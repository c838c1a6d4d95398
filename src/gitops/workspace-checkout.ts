/**
 * A cached clone of one repository. Reads go through `git cat-file --batch` (no working tree),
 * commits are built by `git fast-import` on top of the fetched base, pushes are counted and
 * typed. Every public operation runs on the repository's serial queue.
 */
import { parseCatFileBatch } from "./git-cat-file.js";
import { GitRefNotFoundError } from "./git-errors.js";
import { fastImportStream } from "./git-fast-import.js";
import { checkBranchName, checkFilePath, isCommitId } from "./git-remote.js";
import { GitSerialQueue } from "./git-serial-queue.js";
import type { CommitAndPushOptions, CommitAndPushResult, RepoCheckout } from "./workspace.js";
import type { RepoGit } from "./workspace-git.js";
import { TrackingRefPruner } from "./workspace-prune.js";
import { WorkspaceTree } from "./workspace-tree.js";

const TRACKING = "refs/remotes/origin/";

function checkCommitId(sha: string): string {
  if (!isCommitId(sha)) throw new Error(`not a commit id: ${JSON.stringify(sha.slice(0, 80))}`);
  return sha;
}
const BUILD_REF = "refs/waves/build";

export interface CheckoutSettings {
  identity: { name: string; email: string };
  partial: boolean;
  /** Branch refs older than this are fetched again before a read. */
  maxStaleMs: number;
  clock: () => Date;
}

export class WorkspaceCheckout implements RepoCheckout {
  private readonly queue = new GitSerialQueue();
  /** When each branch was last fetched (or pushed) by this process. */
  private readonly fetchedAt = new Map<string, number>();
  private readonly knownCommits = new Set<string>();
  private readonly tree: WorkspaceTree;
  private readonly pruner: TrackingRefPruner;

  constructor(
    private readonly git: RepoGit,
    private readonly settings: CheckoutSettings,
  ) {
    this.tree = new WorkspaceTree(git, settings.partial, (oids, ref) =>
      this.fetchObjects(oids, ref),
    );
    this.pruner = new TrackingRefPruner(git, settings.clock);
  }

  /** Marks branches as fresh (right after the clone brought them). */
  markFetched(branches: readonly string[]): void {
    const now = this.settings.clock().getTime();
    for (const branch of branches) this.fetchedAt.set(branch, now);
  }

  async fetch(branch: string): Promise<string> {
    const name = checkBranchName(branch);
    return this.queue.run(() => this.fetchBranch(name));
  }

  headOf(branch: string): Promise<string> {
    return this.queue.run(() => this.resolveCommit(branch));
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    return (await this.readFiles(ref, [path])).get(path);
  }

  async readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    for (const path of paths) checkFilePath(path);
    return this.queue.run(async () => this.tree.read(await this.resolveCommit(ref), paths));
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.queue.run(async () => {
      let a: string;
      let b: string;
      try {
        a = await this.resolveCommit(ancestor);
        b = await this.resolveCommit(descendant);
      } catch (error) {
        // A commit the remote does not have is nobody's ancestor.
        if (error instanceof GitRefNotFoundError) return false;
        throw error;
      }
      const result = await this.git.local(["merge-base", "--is-ancestor", a, b], "ancestry", {
        okCodes: [0, 1],
      });
      return result.code === 0;
    });
  }

  /** `git diff --name-only` (no rename detection: a partial clone need not fetch blobs). */
  changedPaths(before: string | undefined, after: string): Promise<string[]> {
    return this.queue.run(async () => {
      const head = await this.ensureCommit(checkCommitId(after));
      const args = before
        ? [
            "diff",
            "--name-only",
            "--no-renames",
            "-z",
            await this.ensureCommit(checkCommitId(before)),
            head,
          ]
        : [
            "diff-tree",
            "--no-commit-id",
            "--name-only",
            "--no-renames",
            "-r",
            "-z",
            "--root",
            head,
          ];
      const out = (await this.git.local(args, "read")).stdout.toString("utf8");
      return [...new Set(out.split("\0").filter((path) => path !== ""))].sort();
    });
  }

  async commitAndPush(options: CommitAndPushOptions): Promise<CommitAndPushResult> {
    const branch = checkBranchName(options.branch);
    for (const change of options.changes) checkFilePath(change.path);
    if (options.message.trim().length === 0) throw new Error("commit message must not be empty");
    const expected = options.expectedRemoteSha;
    if (
      expected !== undefined &&
      expected !== "" &&
      !isCommitId(expected) &&
      !/^0+$/.test(expected)
    ) {
      throw new Error(`expectedRemoteSha "${expected}" is not a full commit id`);
    }
    return this.queue.run(async () => {
      const base = isCommitId(options.base)
        ? await this.ensureCommit(options.base)
        : await this.fetchBranch(checkBranchName(options.base));
      const paths = options.changes.map((change) => change.path);
      const entries = await this.tree.entries(base, paths);
      const modes = new Map([...entries].map(([path, entry]) => [path, entry.mode]));
      const stream = fastImportStream({
        ref: BUILD_REF,
        base,
        identity: this.settings.identity,
        message: options.message,
        changes: options.changes,
        modes,
        when: this.settings.clock(),
      });
      const built = await this.git.local(
        ["fast-import", "--quiet", "--force", "--done"],
        "commit",
        {
          input: stream,
        },
      );
      const fresh = built.stdout.toString("utf8").trim();
      if (fresh.length === 40) this.tree.rememberWritten(options.changes.map((c) => c.content));
      const sha = (await this.sameAsTracked(branch, fresh)) ?? fresh;
      // A push to `origin` moves `refs/remotes/origin/<branch>` itself (the fetch refspec
      // maps it), also when the branch already held the commit.
      const pushed = await this.push(sha, branch, options);
      this.markFetched([branch]);
      await this.pruneTrackingRefs();
      return { sha, pushed };
    });
  }

  /** Now and then, drops old promotion branches' tracking refs; never fails the promotion. */
  private async pruneTrackingRefs(): Promise<void> {
    for (const pruned of await this.pruner.afterPush(this.fetchedAt)) {
      this.fetchedAt.delete(pruned.branch);
      // Unreachable now, its commit may go at the next gc: probe it again before trusting it.
      this.knownCommits.delete(pruned.sha);
    }
  }

  private async push(sha: string, branch: string, options: CommitAndPushOptions): Promise<boolean> {
    const args = ["push", "--porcelain", "--no-verify", "origin"];
    let refspec = `${sha}:refs/heads/${branch}`;
    if (options.expectedRemoteSha !== undefined) {
      const expected = /^0+$/.test(options.expectedRemoteSha) ? "" : options.expectedRemoteSha;
      args.splice(2, 0, `--force-with-lease=refs/heads/${branch}:${expected}`);
    } else if (options.force) {
      refspec = `+${refspec}`;
    }
    args.push(refspec);
    const out = await this.git.network("git push", "push", branch, (env) =>
      this.git.simple(env).raw(args),
    );
    // Porcelain: `<flag>\t<from>:<to>\t<summary>`; `=` means the branch already held the commit.
    const line = out.split("\n").find((l) => l.includes(`:refs/heads/${branch}\t`));
    return !line?.startsWith("=");
  }

  /**
   * The commit already on the branch when it has the same parent, tree, author and message as
   * the one just built: a retried promotion then pushes nothing instead of a duplicate.
   */
  private async sameAsTracked(branch: string, fresh: string): Promise<string | undefined> {
    const tracked = await this.git.local(
      ["rev-parse", "--verify", "--quiet", `${TRACKING}${branch}^{commit}`],
      "commit",
      { okCodes: [0, 1] },
    );
    const old = tracked.stdout.toString("utf8").trim();
    if (tracked.code !== 0 || !old || old === fresh) return undefined;
    const batch = await this.git.local(["cat-file", "--batch"], "commit", {
      input: `${fresh}\n${old}\n`,
    });
    const objects = parseCatFileBatch(batch.stdout, [fresh, old]);
    const strip = (text: string) =>
      text.replace(/^(author|committer) (.*) \d+ [+-]\d{4}$/gm, "$1 $2");
    const a = objects.get(fresh)?.content.toString("utf8");
    const b = objects.get(old)?.content.toString("utf8");
    return a !== undefined && b !== undefined && strip(a) === strip(b) ? old : undefined;
  }

  private async fetchBranch(branch: string): Promise<string> {
    await this.git.network("git fetch", "fetch", branch, async (env) => {
      try {
        await this.git
          .simple(env)
          .raw([
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "origin",
            `+refs/heads/${branch}:${TRACKING}${branch}`,
          ]);
      } catch (error) {
        if (/couldn't find remote ref/i.test(String(error))) {
          // The branch is gone upstream: forget it here too.
          await this.git.local(["update-ref", "-d", `${TRACKING}${branch}`], "fetch");
        }
        throw error;
      }
    });
    this.markFetched([branch]);
    return this.remember(
      await this.git.text(["rev-parse", "--verify", `${TRACKING}${branch}^{commit}`], "fetch"),
    );
  }

  /** A commit id (fetched by id when absent) or a branch (fetched when stale) → commit id. */
  private async resolveCommit(ref: string): Promise<string> {
    if (isCommitId(ref)) return this.ensureCommit(ref);
    const branch = checkBranchName(ref);
    const fetchedAt = this.fetchedAt.get(branch);
    const stale =
      fetchedAt === undefined ||
      this.settings.clock().getTime() - fetchedAt > this.settings.maxStaleMs;
    if (stale) return this.fetchBranch(branch);
    return this.git.text(["rev-parse", "--verify", `${TRACKING}${branch}^{commit}`], "read");
  }

  private async hasCommit(sha: string): Promise<boolean> {
    if (this.knownCommits.has(sha)) return true;
    // rev-list with --missing never triggers a partial clone's lazy fetch.
    const probe = await this.git.local(
      ["rev-list", "--no-walk", "--missing=allow-any", `${sha}^{commit}`, "--"],
      "read",
      { okCodes: [0, 128] },
    );
    if (probe.code === 0) this.remember(sha);
    return probe.code === 0;
  }

  /** Commits seen here stay (gc keeps them for weeks): no need to probe them again. */
  private remember(sha: string): string {
    if (this.knownCommits.size > 10_000) this.knownCommits.clear();
    this.knownCommits.add(sha);
    return sha;
  }

  private async ensureCommit(sha: string): Promise<string> {
    if (await this.hasCommit(sha)) return sha;
    await this.fetchObjects([sha], sha);
    if (!(await this.hasCommit(sha))) {
      throw new GitRefNotFoundError("fetch", this.git.remote.display, `commit ${sha}`);
    }
    return sha;
  }

  /** Fetches objects by id in one call (the remote must allow it; protocol v2 does). */
  private async fetchObjects(oids: readonly string[], ref: string): Promise<void> {
    const args = [
      "-c",
      "fetch.negotiationAlgorithm=noop",
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      "--recurse-submodules=no",
      ...(this.settings.partial ? ["--filter=blob:none"] : []),
      "origin",
      "--stdin",
    ];
    await this.git.network("git fetch", "fetch", ref, (env) =>
      this.git.networkProcess(args, env, `${oids.join("\n")}\n`),
    );
  }
}
