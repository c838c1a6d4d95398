/**
 * Runs one git process fed through stdin (cat-file --batch, fast-import, fetch --stdin): the
 * plumbing that simple-git cannot drive. The exit code is returned, not thrown, so callers can
 * tell "no" (merge-base exit 1) from a failure.
 */
import { spawn } from "node:child_process";

export interface GitProcessResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Kill the process when it has produced no output for this long. */
  idleTimeoutMs?: number;
}

/** Spawns `git <args>` with exactly `env` (no inherited variables) and collects its output. */
export function runGitProcess(
  args: string[],
  options: GitProcessOptions,
): Promise<GitProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const arm = () => {
      if (!options.idleTimeoutMs) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, options.idleTimeoutMs);
    };
    arm();
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      arm();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err.push(chunk);
      arm();
    });
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out),
        stderr: timedOut ? `${stderr}\nfatal: git timed out (no output)` : stderr,
      });
    });
    // A process that exits early (bad object) closes stdin; the EPIPE is not the error to report.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
