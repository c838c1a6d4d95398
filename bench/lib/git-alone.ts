/**
 * What git itself costs on a remote, with no waves code around it: a blobless clone, a fetch of
 * one new upstream commit, and a push of one new commit. A cached clone can at best save the
 * clone, so these bound the cold/warm ratio any promotion that fetches and pushes can reach.
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { benchGitEnv, upstreamCommit } from "./gitops-fixture.js";
import { median } from "./stats.js";

const run = promisify(execFile);

export interface GitAlone {
  cloneMs: number;
  fetchMs: number;
  pushMs: number;
  /** 1 + clone / (fetch + push): the best cold/warm ratio a wave that fetches and pushes has. */
  ceiling: number;
}

/** Medians over `reps` runs against `url` (`token` as the HTTP Basic password). */
export async function measureGitAlone(
  url: string,
  repoPath: string,
  token: string,
  scratch: string,
  reps: number,
): Promise<GitAlone> {
  const header = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const env = {
    ...benchGitEnv(),
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: header,
    GIT_AUTHOR_NAME: "bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
    GIT_COMMITTER_NAME: "bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
  };
  const git = async (cwd: string, args: string[]): Promise<number> => {
    const started = performance.now();
    await run("git", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return performance.now() - started;
  };
  const out = async (cwd: string, args: string[]) =>
    (await run("git", args, { cwd, env })).stdout.trim();
  const clones: number[] = [];
  for (let i = 0; i < reps; i++) {
    const dir = join(scratch, `alone-${i}`);
    clones.push(await git(scratch, ["clone", "--bare", "-q", "--filter=blob:none", url, dir]));
    if (i > 0) await rm(dir, { recursive: true, force: true });
  }
  const clone = join(scratch, "alone-0");
  const fetches: number[] = [];
  const pushes: number[] = [];
  for (let i = 0; i < reps; i++) {
    upstreamCommit(repoPath, 1_000_000 + i);
    fetches.push(
      await git(clone, ["fetch", "-q", "--no-tags", "origin", "+refs/heads/main:refs/heads/main"]),
    );
    const commit = await out(clone, [
      "commit-tree",
      "-p",
      "main",
      "-m",
      `alone ${i}`,
      "main^{tree}",
    ]);
    pushes.push(await git(clone, ["push", "-q", "origin", `${commit}:refs/heads/alone/${i}`]));
  }
  await rm(clone, { recursive: true, force: true });
  const cloneMs = median(clones);
  const fetchMs = median(fetches);
  const pushMs = median(pushes);
  return { cloneMs, fetchMs, pushMs, ceiling: 1 + cloneMs / (fetchMs + pushMs) };
}
