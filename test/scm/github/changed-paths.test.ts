/**
 * Large pushes: the paths a push changed, from git when the push payload cannot list them all
 * (20+ commits, or a new branch), through the real workspace clone and through `pushedPaths`.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsGitDiff, pushedPaths } from "../../../src/app/handlers.js";
import { GitWorkspace } from "../../../src/gitops/workspace.js";
import { capturingLogger } from "../../../src/util/logger.js";
import { commitToBare, createBareRepo, makeTempDir, removeDir } from "../../support/git-repo.js";

const IDENTITY = { name: "waves[bot]", email: "waves@example.com" };
const ZERO = "0".repeat(40);
let root: string;

beforeAll(async () => {
  root = await makeTempDir("waves-paths-");
});
afterAll(async () => {
  await removeDir(root);
});

describe("changed paths of a push, from git", () => {
  it("diffs before..after over 25 commits, and a new branch's head commit alone", async () => {
    const repo = createBareRepo(root, "src", { "README.md": "# app\n", "base/app.yaml": "v: 1\n" });
    const commits: string[] = [];
    for (let i = 0; i < 25; i++) {
      // The change to base/ is in the FIRST commit: a 20-commit payload would not list it.
      const files: Record<string, string> =
        i === 0 ? { "base/app.yaml": "v: 2\n" } : { [`docs/note-${i % 3}.md`]: `${i}\n` };
      commits.push(commitToBare(repo.path, "main", files, `change ${i}`));
    }
    const ws = new GitWorkspace({ cacheDir: join(root, "cache"), identity: IDENTITY });
    const checkout = await ws.checkout({ url: repo.path });
    const after = commits.at(-1) ?? "";
    expect(await checkout.changedPaths(repo.sha, after)).toEqual([
      "base/app.yaml",
      "docs/note-0.md",
      "docs/note-1.md",
      "docs/note-2.md",
    ]);
    expect(await checkout.changedPaths(undefined, after)).toEqual(["docs/note-0.md"]);
    expect(await checkout.changedPaths(undefined, repo.sha)).toEqual([
      "README.md",
      "base/app.yaml",
    ]);
    await expect(checkout.changedPaths("main", after)).rejects.toThrow(/not a commit id/);
  });
});

describe("pushedPaths", () => {
  const listed = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ modified: [`docs/${i}.md`] }));
  const calls: [string | undefined, string][] = [];
  const git = {
    async changedPaths(before: string | undefined, after: string) {
      calls.push([before, after]);
      return ["base/app.yaml"];
    },
  };

  it("trusts a small push's payload and asks git for 20+ commits or a new branch", async () => {
    const logger = capturingLogger();
    const small = { before: "b".repeat(40), after: "a".repeat(40), commits: listed(2) };
    expect(needsGitDiff(small)).toBe(false);
    expect(await pushedPaths(small, git, logger)).toEqual(["docs/0.md", "docs/1.md"]);
    expect(calls).toEqual([]);

    const large = { ...small, commits: listed(20) };
    expect(needsGitDiff(large)).toBe(true);
    const paths = await pushedPaths(large, git, logger);
    expect(paths).toContain("base/app.yaml");
    expect(paths).toHaveLength(21);
    expect(calls).toEqual([["b".repeat(40), "a".repeat(40)]]);

    const created = { before: ZERO, after: "c".repeat(40), commits: listed(1) };
    expect(await pushedPaths(created, git, logger)).toEqual(["base/app.yaml", "docs/0.md"]);
    expect(calls.at(-1)).toEqual([undefined, "c".repeat(40)]);
  });

  it("falls back to the payload (with a warning) when git cannot tell", async () => {
    const logger = capturingLogger();
    const broken = {
      async changedPaths(): Promise<string[]> {
        throw new Error("fetch failed for https://x-access-token:ghs_secret0123456789abcdef@x");
      },
    };
    const push = { after: "a".repeat(40), commits: listed(1) };
    expect(await pushedPaths(push, broken, logger)).toEqual(["docs/0.md"]);
    expect(logger.lines.map((l) => l.message)).toEqual([
      "could not diff the push in git; using the paths the payload lists",
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain("ghs_secret0123456789abcdef");
  });
});
