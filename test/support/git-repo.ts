/**
 * Real git repositories in temp folders for tests: bare "remotes" served over file paths or the
 * HTTP server, upstream commits made behind the workspace's back, and inspection helpers.
 * Never relies on global git config: identity and config come from the environment here.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const UPSTREAM_IDENTITY = { name: "Upstream Dev", email: "dev@example.com" };

/** Env for git in tests: no global/system config, fixed identity, English messages. */
export function gitTestEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: UPSTREAM_IDENTITY.name,
    GIT_AUTHOR_EMAIL: UPSTREAM_IDENTITY.email,
    GIT_COMMITTER_NAME: UPSTREAM_IDENTITY.name,
    GIT_COMMITTER_EMAIL: UPSTREAM_IDENTITY.email,
  };
}

/** Runs git synchronously in `cwd`; returns trimmed stdout; throws with stderr on failure. */
export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync("git", args, {
    cwd,
    env: gitTestEnv(),
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  }).trim();
}

export async function makeTempDir(prefix = "waves-git-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

function fastImportCommit(
  branch: string,
  files: Record<string, string>,
  message: string,
  from: string | undefined,
): string {
  const now = Math.floor(Date.now() / 1000);
  const who = `${UPSTREAM_IDENTITY.name} <${UPSTREAM_IDENTITY.email}> ${now} +0000`;
  const parts: Buffer[] = [];
  const data = (text: string) => {
    const body = Buffer.from(text, "utf8");
    parts.push(Buffer.from(`data ${body.length}\n`), body, Buffer.from("\n"));
  };
  parts.push(Buffer.from(`commit refs/heads/${branch}\nmark :1\ncommitter ${who}\n`));
  data(`${message}\n`);
  if (from) parts.push(Buffer.from(`from ${from}\n`));
  for (const [path, content] of Object.entries(files)) {
    parts.push(Buffer.from(`M 100644 inline "${path.replace(/(["\\])/g, "\\$1")}"\n`));
    data(content);
  }
  parts.push(Buffer.from("\nget-mark :1\ndone\n"));
  return Buffer.concat(parts).toString("utf8");
}

export interface BareRepo {
  path: string;
  /** file:// URL of the repository (supports partial clone). */
  fileUrl: string;
  /** Head of the initial branch. */
  sha: string;
}

/**
 * A bare repository `<root>/<name>.git` with one commit holding `files` on `branch`, ready to
 * be served: pushes over HTTP, partial clone and fetch-by-id allowed.
 */
export function createBareRepo(
  root: string,
  name: string,
  files: Record<string, string>,
  options: { branch?: string } = {},
): BareRepo {
  const branch = options.branch ?? "main";
  const path = join(root, `${name}.git`);
  execFileSync("git", ["init", "--bare", "-q", "-b", branch, path], { env: gitTestEnv() });
  git(path, ["config", "http.receivepack", "true"]);
  git(path, ["config", "uploadpack.allowFilter", "true"]);
  git(path, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
  const sha = git(
    path,
    ["fast-import", "--quiet", "--done"],
    fastImportCommit(branch, files, "initial", undefined),
  );
  return { path, fileUrl: pathToFileURL(path).href, sha };
}

/** An upstream commit on `branch` of a bare repo (someone else pushing); returns its id. */
export function commitToBare(
  repoPath: string,
  branch: string,
  files: Record<string, string>,
  message = "upstream change",
): string {
  const from = git(repoPath, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  return git(
    repoPath,
    ["fast-import", "--quiet", "--done", "--force"],
    fastImportCommit(branch, files, message, from),
  );
}

/** A file's content at `ref`, or undefined when absent. */
export function showFile(repoPath: string, ref: string, path: string): string | undefined {
  try {
    return execFileSync("git", ["show", `${ref}:${path}`], {
      cwd: repoPath,
      env: gitTestEnv(),
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch {
    return undefined;
  }
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  author: string;
  committer: string;
  message: string;
  /** Paths changed relative to the first parent. */
  changedPaths: string[];
}

export function commitInfo(repoPath: string, ref: string): CommitInfo {
  const raw = git(repoPath, [
    "log",
    "-1",
    "--format=%H%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%B",
    ref,
  ]);
  const [sha, parents, author, committer, message] = raw.split("\0") as [
    string,
    string,
    string,
    string,
    string,
  ];
  const changed = git(repoPath, [
    "diff-tree",
    "--no-commit-id",
    "--name-only",
    "-r",
    `${sha}^`,
    sha,
  ]);
  return {
    sha,
    parents: parents.split(" ").filter(Boolean),
    author,
    committer,
    message: message.trim(),
    changedPaths: changed.split("\n").filter(Boolean),
  };
}

/** Whether `ref` exists in the repository. */
export function hasRef(repoPath: string, ref: string): boolean {
  try {
    git(repoPath, ["rev-parse", "--verify", "--quiet", ref]);
    return true;
  } catch {
    return false;
  }
}
