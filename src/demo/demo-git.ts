/** Plain git for the demo's sample repository: fixed identity, no global config needed. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface GitIdentity {
  name: string;
  email: string;
}

/** Runs git in `cwd` as `who`, ignoring the user's global and system config. */
export async function demoGit(cwd: string, args: string[], who?: GitIdentity): Promise<string> {
  const identity = who ?? { name: "gitops-waves demo", email: "demo@gitops-waves.invalid" };
  const { stdout } = await run(
    "git",
    [
      "-c",
      "commit.gpgsign=false",
      "-c",
      "init.defaultBranch=main",
      "-c",
      "core.autocrlf=false",
      ...args,
    ],
    {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: cwd,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_AUTHOR_NAME: identity.name,
        GIT_AUTHOR_EMAIL: identity.email,
        GIT_COMMITTER_NAME: identity.name,
        GIT_COMMITTER_EMAIL: identity.email,
        GIT_TERMINAL_PROMPT: "0",
      },
    },
  );
  return stdout;
}
