/**
 * One cached repository's git runner: local plumbing through `runGitProcess`, network calls
 * (clone, fetch, push) through simple-git or stdin-fed processes, each counted in the call
 * ledger, authenticated per call and turned into typed, secret-free errors.
 */
import { type SimpleGit, simpleGit } from "simple-git";
import type { Logger } from "../util/logger.js";
import { type CallLedger, countedCall } from "../util/outward-calls.js";
import { redact } from "../util/redact.js";
import { authenticatedEnv, gitEnv } from "./git-env.js";
import {
  classifyGitFailure,
  GitAuthError,
  GitCommandError,
  type GitOperation,
  GitPushRejectedError,
  GitRefNotFoundError,
  GitWorkspaceError,
  gitDetail,
} from "./git-errors.js";
import { type GitProcessResult, runGitProcess } from "./git-process.js";
import type { ParsedRemote } from "./git-remote.js";

/** The installation token, fetched fresh for every network call (tokens expire hourly). */
export type TokenProvider = () => Promise<string> | string;

export type GitEndpoint = "git clone" | "git fetch" | "git push";

export interface RepoGitOptions {
  dir: string;
  remote: ParsedRemote;
  logger: Logger;
  ledger: CallLedger;
  /** A network git call that prints nothing for this long is killed. */
  idleTimeoutMs: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | "error" {
  if (error instanceof GitAuthError) return 401;
  if (error instanceof GitRefNotFoundError) return 404;
  if (error instanceof GitPushRejectedError) return 409;
  return "error";
}

export class RepoGit {
  token: TokenProvider | undefined;

  constructor(readonly options: RepoGitOptions) {}

  get remote(): ParsedRemote {
    return this.options.remote;
  }

  /** simple-git bound to `env`; the unsafe switches cover only the config this module sets. */
  simple(env: NodeJS.ProcessEnv, baseDir = this.options.dir): SimpleGit {
    return simpleGit({
      baseDir,
      timeout: { block: this.options.idleTimeoutMs },
      unsafe: {
        allowUnsafeConfigEnvCount: true,
        allowUnsafeCredentialHelper: true,
        allowUnsafeAskPass: true,
        allowUnsafeHooksPath: true,
      },
    }).env(env);
  }

  /** A local git command; exit codes outside `okCodes` become a GitCommandError. */
  async local(
    args: string[],
    operation: GitOperation,
    options: { input?: string | Buffer; okCodes?: number[] } = {},
  ): Promise<GitProcessResult> {
    const result = await runGitProcess(args, {
      cwd: this.options.dir,
      env: gitEnv(this.options.dir),
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
    if (!(options.okCodes ?? [0]).includes(result.code)) {
      throw new GitCommandError(
        operation,
        this.remote.display,
        `git ${args[0]} exited ${result.code}: ${redact(gitDetail(result.stderr))}`,
      );
    }
    return result;
  }

  /** A local command's trimmed stdout. */
  async text(args: string[], operation: GitOperation): Promise<string> {
    return (await this.local(args, operation)).stdout.toString("utf8").trim();
  }

  /**
   * A network call: authenticated for this call only, counted in the ledger, and any failure
   * classified (auth, unreachable, rejected, not found) with every secret scrubbed.
   */
  async network<T>(
    endpoint: GitEndpoint,
    operation: GitOperation,
    ref: string | undefined,
    run: (env: NodeJS.ProcessEnv) => Promise<T>,
  ): Promise<T> {
    const token = this.token ? await this.token() : undefined;
    const gitDir = endpoint === "git clone" ? undefined : this.options.dir;
    const { env, scrub } = authenticatedEnv(gitEnv(gitDir), token);
    const started = performance.now();
    try {
      const result = await countedCall(
        "git",
        endpoint,
        async () => {
          try {
            return await run(env);
          } catch (error) {
            if (error instanceof GitWorkspaceError) throw error;
            throw classifyGitFailure({
              operation,
              remote: this.remote.display,
              stderr: scrub(messageOf(error)),
              ...(ref !== undefined ? { ref } : {}),
            });
          }
        },
        ({ error }) => ({ status: error === undefined ? 200 : statusOf(error) }),
        this.options.ledger,
      );
      this.options.logger.debug(
        { remote: this.remote.display, endpoint, ref, ms: Math.round(performance.now() - started) },
        "git network call done",
      );
      return result;
    } catch (error) {
      this.options.logger.warn(
        { remote: this.remote.display, endpoint, ref, error: scrub(messageOf(error)) },
        "git network call failed",
      );
      throw error;
    }
  }

  /** A stdin-fed network process (fetch --stdin); a non-zero exit throws its scrubbed stderr. */
  async networkProcess(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<void> {
    const result = await runGitProcess(args, {
      cwd: this.options.dir,
      env,
      input,
      idleTimeoutMs: this.options.idleTimeoutMs,
    });
    if (result.code !== 0) throw new Error(result.stderr || `git ${args[0]} exited ${result.code}`);
  }
}
