/**
 * Typed git failures. Messages name the operation and the remote (credentials stripped) and
 * carry git's own last words, scrubbed of every secret, so an operator can act on them.
 */

export type GitOperation = "clone" | "fetch" | "push" | "read" | "commit" | "ancestry";

export class GitWorkspaceError extends Error {
  constructor(
    message: string,
    readonly operation: GitOperation,
    /** The remote URL without credentials. */
    readonly remote: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The push lost a race: the branch moved (non-fast-forward, stale lease) or a hook refused it. */
export class GitPushRejectedError extends GitWorkspaceError {
  constructor(
    remote: string,
    readonly branch: string,
    readonly reason: string,
  ) {
    super(`git push of branch ${branch} to ${remote} was rejected: ${reason}`, "push", remote);
  }
}

/** The remote refused the credentials (401/403) or does not let them see the repository. */
export class GitAuthError extends GitWorkspaceError {
  constructor(operation: GitOperation, remote: string, detail: string) {
    super(
      `git ${operation} from ${remote} failed: authentication refused (${detail}); check the installation token and that the app can access this repository`,
      operation,
      remote,
    );
  }
}

/** No answer from the remote: DNS, connection refused, timeout, no repository at that path. */
export class GitUnreachableError extends GitWorkspaceError {
  constructor(operation: GitOperation, remote: string, detail: string) {
    super(
      `git ${operation} from ${remote} failed: remote unreachable (${detail})`,
      operation,
      remote,
    );
  }
}

/** A branch or commit that the remote does not have. */
export class GitRefNotFoundError extends GitWorkspaceError {
  constructor(
    operation: GitOperation,
    remote: string,
    readonly ref: string,
  ) {
    super(`git ${operation} from ${remote} failed: ${ref} does not exist there`, operation, remote);
  }
}

/** Any other git failure (bad input, corrupt cache, local I/O). */
export class GitCommandError extends GitWorkspaceError {
  constructor(operation: GitOperation, remote: string, detail: string) {
    super(`git ${operation} for ${remote} failed: ${detail}`, operation, remote);
  }
}

const AUTH =
  /authentication failed|could not read (?:username|password)|terminal prompts disabled|returned error: 40[13]|\bHTTP 40[13]\b|invalid username or password|permission denied|repository not found|returned error: 404/i;
const UNREACHABLE =
  /could not resolve host|failed to connect|connection refused|couldn't connect|timed out|connection reset|does not appear to be a git repository|could not read from remote repository|unable to access|rpc failed|early eof|ssl|no route to host|network is unreachable/i;
const REJECTED =
  /\[rejected\]|\[remote rejected\]|stale info|non-fast-forward|fetch first|failed to push some refs/i;
const REF_MISSING = /couldn't find remote ref|not our ref|no such remote ref|unadvertised object/i;

/** The most telling line of git's stderr: the last `fatal:`/`error:` line, else the last line. */
export function gitDetail(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const telling = lines.filter((line) => /^(fatal|error|remote|!):?/i.test(line));
  const line = telling.at(-1) ?? lines.at(-1) ?? "no output";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export interface GitFailure {
  operation: GitOperation;
  remote: string;
  /** Already scrubbed of secrets. */
  stderr: string;
  /** The ref being fetched or pushed, for rejection and not-found messages. */
  ref?: string;
}

/** Turns a failed network git call into the error a caller can branch on. */
export function classifyGitFailure(failure: GitFailure): GitWorkspaceError {
  const { operation, remote, stderr } = failure;
  const detail = gitDetail(stderr);
  if (operation === "push" && REJECTED.test(stderr) && !AUTH.test(stderr)) {
    const reason = /stale info/i.test(stderr)
      ? "the branch is no longer at the expected commit (it moved)"
      : /\[remote rejected\]/i.test(stderr)
        ? `the remote refused it (${detail})`
        : "the branch moved (not a fast-forward)";
    return new GitPushRejectedError(remote, failure.ref ?? "?", reason);
  }
  if (AUTH.test(stderr)) return new GitAuthError(operation, remote, detail);
  if (REF_MISSING.test(stderr))
    return new GitRefNotFoundError(operation, remote, failure.ref ?? "?");
  if (UNREACHABLE.test(stderr)) return new GitUnreachableError(operation, remote, detail);
  return new GitCommandError(operation, remote, detail);
}
