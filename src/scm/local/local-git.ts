/**
 * Plain git over a local bare repository, for the local SCM adapter: a fixed identity, no global
 * or system config, plumbing only (no work tree), so commits and merges happen inside the bare
 * repository itself.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FileChange } from "../../gitops/types.js";

export interface LocalGitIdentity {
  name: string;
  email: string;
}

export class LocalGitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | string | undefined,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ""} failed (${String(code)}): ${stderr.trim().split("\n")[0] ?? ""}`);
    this.name = "LocalGitError";
  }
}

interface RunResult {
  stdout: string;
  code: number;
}

export class LocalGit {
  constructor(
    readonly gitDir: string,
    private readonly identity: LocalGitIdentity,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const date = `${Math.floor(this.clock().getTime() / 1000)} +0000`;
    return {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmpdir(),
      LC_ALL: "C",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_DIR: this.gitDir,
      GIT_AUTHOR_NAME: this.identity.name,
      GIT_AUTHOR_EMAIL: this.identity.email,
      GIT_COMMITTER_NAME: this.identity.name,
      GIT_COMMITTER_EMAIL: this.identity.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_TERMINAL_PROMPT: "0",
      ...extra,
    };
  }

  /** Runs git; resolves with stdout and the exit code (non-zero codes in `okCodes` do not throw). */
  run(
    args: string[],
    options: { input?: string; okCodes?: number[]; env?: Record<string, string> } = {},
  ): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        ["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", ...args],
        { env: this.env(options.env), maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (!error) return resolve({ stdout, code: 0 });
          const code = typeof error.code === "number" ? error.code : undefined;
          if (code !== undefined && options.okCodes?.includes(code)) {
            return resolve({ stdout, code });
          }
          reject(new LocalGitError(args, error.code ?? undefined, stderr));
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  }

  async revParse(ref: string): Promise<string | undefined> {
    const { stdout, code } = await this.run(["rev-parse", "--verify", "-q", `${ref}^{commit}`], {
      okCodes: [1, 128],
    });
    return code === 0 ? stdout.trim() : undefined;
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    const { stdout, code } = await this.run(["cat-file", "blob", `${ref}:${path}`], {
      okCodes: [128],
    });
    return code === 0 ? stdout : undefined;
  }

  /** Many files in one `git cat-file --batch`; absent ones map to undefined. */
  async readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    if (paths.length === 0) return out;
    const input = `${paths.map((p) => `${ref}:${p}`).join("\n")}\n`;
    const { stdout } = await this.runBuffer(["cat-file", "--batch"], input);
    let at = 0;
    for (const path of paths) {
      const eol = stdout.indexOf(10, at);
      const header = stdout.subarray(at, eol).toString("utf8");
      at = eol + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        out.set(path, undefined);
        continue;
      }
      const size = Number(match[2]);
      out.set(
        path,
        match[1] === "blob" ? stdout.subarray(at, at + size).toString("utf8") : undefined,
      );
      at += size + 1;
    }
    return out;
  }

  private runBuffer(args: string[], input: string): Promise<{ stdout: Buffer }> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        args,
        { env: this.env(), maxBuffer: 256 * 1024 * 1024, encoding: "buffer" },
        (error, stdout, stderr) => {
          if (error)
            reject(new LocalGitError(args, error.code ?? undefined, stderr.toString("utf8")));
          else resolve({ stdout });
        },
      );
      child.stdin?.end(input);
    });
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const { code } = await this.run(["merge-base", "--is-ancestor", ancestor, descendant], {
      okCodes: [1, 128],
    });
    return code === 0;
  }

  /** A commit holding `changes` on top of `parent`, without touching any branch. */
  async commitOnto(parent: string, message: string, changes: FileChange[]): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), "waves-local-index-"));
    try {
      const index = { GIT_INDEX_FILE: join(scratch, "index") };
      await this.run(["read-tree", parent], { env: index });
      for (const change of changes) {
        const { stdout } = await this.run(["hash-object", "-w", "--stdin"], {
          input: change.content,
        });
        await this.run(
          ["update-index", "--add", "--cacheinfo", `100644,${stdout.trim()},${change.path}`],
          { env: index },
        );
      }
      const tree = (await this.run(["write-tree"], { env: index })).stdout.trim();
      const { stdout } = await this.run(["commit-tree", tree, "-p", parent, "-F", "-"], {
        input: message,
      });
      return stdout.trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Moves a branch to `sha`; with `expected`, only if it is still there ("" = must not exist). */
  async updateRef(branch: string, sha: string, expected?: string): Promise<void> {
    const args = ["update-ref", `refs/heads/${branch}`, sha];
    if (expected !== undefined) args.push(expected === "" ? "0".repeat(40) : expected);
    await this.run(args);
  }

  /**
   * A real `--no-ff` merge of `head` into `base`: a merge commit with both parents, or the
   * conflicting paths when the trees do not merge cleanly.
   */
  async mergeNoFf(
    baseSha: string,
    headSha: string,
    message: string,
  ): Promise<{ sha: string } | { conflict: string }> {
    const { stdout, code } = await this.run(
      ["merge-tree", "--write-tree", "--name-only", "--no-messages", baseSha, headSha],
      { okCodes: [1] },
    );
    const [tree, ...paths] = stdout.trim().split("\n");
    if (code !== 0 || !tree) {
      return { conflict: `merge conflict in ${paths.filter(Boolean).join(", ") || "the branch"}` };
    }
    const merged = await this.run(["commit-tree", tree, "-p", baseSha, "-p", headSha, "-F", "-"], {
      input: message,
    });
    return { sha: merged.stdout.trim() };
  }

  async commitInfo(sha: string): Promise<{ subject: string; author: string; email: string }> {
    const { stdout } = await this.run(["show", "-s", "--format=%s%x00%an%x00%ae", sha]);
    const [subject = "", author = "", email = ""] = stdout.replace(/\n$/, "").split("\0");
    return { subject, author, email };
  }
}
