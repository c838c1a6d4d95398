/**
 * The fake GitHub's git side: bare repositories under a root directory, served over smart HTTP
 * by the real `git http-backend` (CGI), and the plumbing the fake needs (refs, real merges,
 * changed files per commit). Identity always comes from arguments, never from global config.
 */
import { execFile, spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
};

export async function git(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { stdout } = await exec("git", args, {
    cwd,
    env: { ...process.env, ...GIT_ENV, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export interface Identity {
  name: string;
  email: string;
}

function identityEnv(who: Identity, date?: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
}

export class BareRepo {
  constructor(readonly path: string) {}

  static async init(root: string, owner: string, name: string): Promise<BareRepo> {
    const path = join(root, owner, `${name}.git`);
    await exec("mkdir", ["-p", path]);
    await git(path, ["init", "--bare", "-q", "-b", "main"]);
    await git(path, ["config", "http.receivepack", "true"]);
    await git(path, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
    return new BareRepo(path);
  }

  async refs(): Promise<Map<string, string>> {
    const out = await git(this.path, ["for-each-ref", "--format=%(objectname) %(refname)"]);
    const refs = new Map<string, string>();
    for (const line of out.split("\n")) {
      const [sha, ref] = line.split(" ");
      if (sha && ref) refs.set(ref, sha);
    }
    return refs;
  }

  async head(branch: string): Promise<string | undefined> {
    return (await this.refs()).get(`refs/heads/${branch}`);
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    await git(this.path, ["update-ref", `refs/heads/${branch}`, sha]);
  }

  /** Deletes `branch` if it is still at `expected`; false when it had moved or was gone. */
  async deleteBranch(branch: string, expected: string): Promise<boolean> {
    try {
      await git(this.path, ["update-ref", "-d", `refs/heads/${branch}`, expected]);
      return true;
    } catch {
      return false;
    }
  }

  /** Writes `files` as one commit on `branch` (parent: its current head, if any). */
  async commitFiles(
    branch: string,
    files: Record<string, string>,
    message: string,
    who: Identity,
    removals: string[] = [],
  ): Promise<string> {
    const parent = await this.head(branch);
    const index = join(this.path, `index-${process.pid}-${Date.now()}-${Math.random()}`);
    const env = { GIT_INDEX_FILE: index, ...identityEnv(who) };
    if (parent) await git(this.path, ["read-tree", parent], env);
    for (const [path, content] of Object.entries(files)) {
      const blob = (await this.hashObject(content)).trim();
      await git(this.path, ["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], env);
    }
    for (const path of removals) {
      await git(this.path, ["update-index", "--force-remove", path], env);
    }
    const tree = (await git(this.path, ["write-tree"], env)).trim();
    await exec("rm", ["-f", index]);
    const sha = (
      await git(
        this.path,
        ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", message],
        env,
      )
    ).trim();
    await git(this.path, ["update-ref", `refs/heads/${branch}`, sha, ...(parent ? [parent] : [])]);
    return sha;
  }

  private hashObject(content: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn("git", ["hash-object", "-w", "--stdin"], {
        cwd: this.path,
        env: { ...process.env, ...GIT_ENV },
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve(out) : reject(new Error(`git hash-object exited ${code}`)),
      );
      child.stdin.end(content);
    });
  }

  /**
   * A real three-way merge of `head` into `base` (`git merge-tree --write-tree`), committed with
   * both parents and moved onto `base` only if it is still at `expectedBase`.
   */
  async merge(
    baseBranch: string,
    headSha: string,
    message: string,
    who: Identity,
  ): Promise<{ status: "merged"; sha: string } | { status: "conflict" }> {
    const base = await this.head(baseBranch);
    if (!base) throw new Error(`no branch ${baseBranch}`);
    let tree: string;
    try {
      tree =
        (await git(this.path, ["merge-tree", "--write-tree", base, headSha])).split("\n")[0] ?? "";
    } catch {
      return { status: "conflict" };
    }
    const sha = (
      await git(
        this.path,
        ["commit-tree", tree, "-p", base, "-p", headSha, "-m", message],
        identityEnv(who),
      )
    ).trim();
    await git(this.path, ["update-ref", `refs/heads/${baseBranch}`, sha, base]);
    return { status: "merged", sha };
  }

  async readFile(ref: string, path: string): Promise<string | undefined> {
    try {
      return await git(this.path, ["show", `${ref}:${path}`]);
    } catch {
      return undefined;
    }
  }

  async commitInfo(
    sha: string,
  ): Promise<{ message: string; author: Identity; date: string; parents: string[] }> {
    const out = await git(this.path, ["show", "-s", "--format=%an%x00%ae%x00%aI%x00%P%x00%B", sha]);
    const [name = "", email = "", date = "", parents = "", ...message] = out.split("\u0000");
    return {
      author: { name, email },
      date,
      parents: parents.split(" ").filter(Boolean),
      message: message.join("\u0000").trimEnd(),
    };
  }

  /**
   * Commits reachable from `after` but not `before`, oldest first; for a new ref, those not on
   * any other branch (as GitHub lists a new branch's commits).
   */
  async newCommits(before: string | undefined, after: string, ref?: string): Promise<string[]> {
    let range: string[];
    if (before && !/^0+$/.test(before)) range = [`${before}..${after}`];
    else {
      const others = [...(await this.refs()).entries()]
        .filter(([name, sha]) => name !== ref && sha !== after)
        .map(([, sha]) => sha);
      range = [after, ...(others.length > 0 ? ["--not", ...others] : [])];
    }
    const out = await git(this.path, ["rev-list", "--reverse", ...range]);
    return out.split("\n").filter(Boolean);
  }

  /** Files a commit changed against its first parent, as GitHub's push payload lists them. */
  async changedFiles(
    sha: string,
  ): Promise<{ added: string[]; modified: string[]; removed: string[] }> {
    const { parents } = await this.commitInfo(sha);
    const result = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
    const args = parents[0]
      ? ["diff", "--name-status", "--no-renames", parents[0], sha]
      : ["show", "--name-status", "--no-renames", "--format=", sha];
    for (const line of (await git(this.path, args)).split("\n")) {
      const [status, path] = line.split("\t");
      if (!status || !path) continue;
      if (status.startsWith("A")) result.added.push(path);
      else if (status.startsWith("D")) result.removed.push(path);
      else result.modified.push(path);
    }
    return result;
  }
}

/**
 * Serves `/<owner>/<repo>.git/...` through git http-backend. `authorize` gets the token from
 * the Basic password or a Bearer header and returns the caller's login, or undefined (401).
 */
export async function serveGit(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  authorize: (token: string | undefined) => string | undefined,
): Promise<void> {
  const header = req.headers.authorization ?? "";
  let token: string | undefined;
  const basic = /^basic\s+(.+)$/i.exec(header);
  if (basic?.[1]) token = Buffer.from(basic[1], "base64").toString().split(":").slice(1).join(":");
  const bearer = /^(?:bearer|token)\s+(.+)$/i.exec(header);
  if (bearer?.[1]) token = bearer[1];
  const user = authorize(token);
  if (!user) {
    res.writeHead(401, { "www-authenticate": 'Basic realm="fake-github"' });
    res.end("Authentication required");
    return;
  }
  const child = spawn(HTTP_BACKEND, [], {
    env: {
      ...GIT_ENV,
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: path,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
      ...(req.headers["content-encoding"]
        ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) }
        : {}),
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
    },
  });
  req.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => chunks.push(d));
  await new Promise<void>((resolve) => child.on("close", () => resolve()));
  const output = Buffer.concat(chunks);
  const split = output.indexOf("\r\n\r\n");
  const headEnd = split >= 0 ? split : output.indexOf("\n\n");
  const sepLength = split >= 0 ? 4 : 2;
  const headerText = output.subarray(0, Math.max(0, headEnd)).toString();
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  res.writeHead(status, headers);
  res.end(headEnd >= 0 ? output.subarray(headEnd + sepLength) : output);
}
