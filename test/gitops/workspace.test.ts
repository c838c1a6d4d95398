import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkoutOpener,
  GitAuthError,
  GitPushRejectedError,
  GitRefNotFoundError,
  GitUnreachableError,
  GitWorkspace,
  type GitWorkspaceOptions,
  type RepoCheckout,
} from "../../src/gitops/workspace.js";
import {
  PRUNE_EVERY_PUSHES,
  parseTrackingRefs,
  pruneDue,
  refsToPrune,
  TRACKING_RETENTION_MS,
} from "../../src/gitops/workspace-prune.js";
import type { OpenCheckout } from "../../src/scm/github/git-checkout.js";
import { capturingLogger } from "../../src/util/logger.js";
import { CallLedger } from "../../src/util/outward-calls.js";
import { type GitHttpServer, startGitHttpServer } from "../support/git-http-server.js";
import {
  commitInfo,
  commitToBare,
  createBareRepo,
  git,
  makeTempDir,
  removeDir,
  showFile,
} from "../support/git-repo.js";

const TOKEN = "ghs_TestToken0123456789abcdefXYZ";
const ENCODED = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
const IDENTITY = { name: "waves[bot]", email: "123+waves[bot]@users.noreply.github.com" };
const FILES = {
  "clusters/alpha/app.yaml": "spec:\n  targetRevision: v1\n",
  "clusters/beta/app.yaml": "spec:\n  targetRevision: v1\n",
  "README.md": "# fleet\n",
};

let root: string;
let reposDir: string;
let server: GitHttpServer;
let counter = 0;
const logger = capturingLogger();
const errorsSeen: string[] = [];

beforeAll(async () => {
  root = await makeTempDir("waves-ws-");
  reposDir = join(root, "repos");
  await mkdir(reposDir);
  server = await startGitHttpServer({ root: reposDir, token: TOKEN });
});

afterAll(async () => {
  await server.close();
  await removeDir(root);
});

function fixture(files: Record<string, string> = FILES) {
  counter += 1;
  const name = `fleet-${counter}`;
  const repo = createBareRepo(reposDir, name, files);
  return { ...repo, httpUrl: `${server.url}/${name}.git` };
}

function workspace(extra: Partial<GitWorkspaceOptions> = {}) {
  const ledger = new CallLedger();
  const cacheDir = join(root, `cache-${++counter}`);
  const ws = new GitWorkspace({ cacheDir, identity: IDENTITY, logger, ledger, ...extra });
  return { ws, ledger, cacheDir };
}

async function capture<T>(promise: Promise<T>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    errorsSeen.push(String(error), (error as Error).stack ?? "");
    return error;
  }
  throw new Error("expected a rejection");
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if ((await stat(path)).size < 1_000_000) out.push(path);
  }
  return out;
}

describe("GitWorkspace over a file path remote", () => {
  it("clones once, then only fetches, across workspaces sharing the cache", async () => {
    const repo = fixture();
    const { ws, ledger, cacheDir } = workspace();
    const first = await ws.checkout({ url: repo.path });
    expect(await ws.checkout({ url: repo.path })).toBe(first);
    expect(ledger.count({ endpoint: "git clone" })).toBe(1);
    expect(await first.headOf("main")).toBe(repo.sha);
    expect(ledger.count({ endpoint: "git fetch" })).toBe(0);

    const upstream = commitToBare(repo.path, "main", { "README.md": "# changed\n" });
    const again = new GitWorkspace({ cacheDir, identity: IDENTITY, ledger });
    const reopened = await again.checkout({ url: repo.path });
    expect(await reopened.fetch("main")).toBe(upstream);
    expect(ledger.count({ endpoint: "git clone" })).toBe(1);
    expect(ledger.count({ endpoint: "git fetch" })).toBe(1);
    expect(await reopened.readFile("main", "README.md")).toBe("# changed\n");
    expect(await reopened.readFile(repo.sha, "README.md")).toBe("# fleet\n");
    expect(await reopened.readFile("main", "nope.yaml")).toBeUndefined();
    expect(await reopened.readFile("main", "clusters")).toBeUndefined();
  });

  it("clones again over a broken cache directory", async () => {
    const repo = fixture();
    const { cacheDir } = workspace();
    const first = new GitWorkspace({ cacheDir, identity: IDENTITY });
    await first.checkout({ url: repo.path });
    const [dir] = await readdir(cacheDir);
    await writeFile(join(cacheDir, dir!, "config"), "not a git config");
    const ledger = new CallLedger();
    const second = new GitWorkspace({ cacheDir, identity: IDENTITY, ledger });
    const checkout = await second.checkout({ url: repo.path });
    expect(ledger.count({ endpoint: "git clone", status: 200 })).toBe(1);
    expect(await checkout.headOf("main")).toBe(repo.sha);
  });

  it("reads many files in one batch and keeps unknown paths undefined", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`clusters/c${i}/app.yaml`] = `rev: ${i}\n`;
    const repo = fixture(files);
    const { ws } = workspace();
    const checkout = await ws.checkout({ url: repo.path });
    const paths = [...Object.keys(files), "clusters/none/app.yaml"];
    const read = await checkout.readFiles(repo.sha, paths);
    expect(read.size).toBe(301);
    expect(read.get("clusters/c7/app.yaml")).toBe("rev: 7\n");
    expect(read.get("clusters/c299/app.yaml")).toBe("rev: 299\n");
    expect(read.get("clusters/none/app.yaml")).toBeUndefined();
  });
});

describe("GitWorkspace over HTTP with token auth", () => {
  it("partial-clones once and fetches the blobs a read needs in one call", async () => {
    const repo = fixture();
    const { ws, ledger, cacheDir } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    expect(ledger.count({ endpoint: "git clone", status: 200 })).toBe(1);
    const [dir] = await readdir(cacheDir);
    expect(dir).toMatch(/^127\.0\.0\.1_\d+_fleet-\d+-[0-9a-f]{10}\.git$/);
    expect(git(join(cacheDir, dir!), ["config", "remote.origin.promisor"])).toBe("true");

    // The newest commit does not touch the files read: their blobs still come in one fetch.
    const upstream = commitToBare(repo.path, "main", { "other.txt": "x\n" });
    expect(await checkout.fetch("main")).toBe(upstream);
    expect(ledger.count({ endpoint: "git fetch" })).toBe(1);
    const read = await checkout.readFiles("main", ["clusters/alpha/app.yaml", "README.md"]);
    expect(read.get("README.md")).toBe("# fleet\n");
    expect(read.get("clusters/alpha/app.yaml")).toBe(FILES["clusters/alpha/app.yaml"]);
    expect(ledger.count({ endpoint: "git fetch" })).toBe(2);
    await checkout.readFiles(repo.sha, ["clusters/alpha/app.yaml", "README.md"]);
    expect(ledger.count({ endpoint: "git fetch" })).toBe(2);
  });

  it("fetches 300 missing blobs in one gzip-compressed request and reads them all", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`clusters/c${i}/app.yaml`] = `rev: ${i}\n`;
    const repo = fixture(files);
    const { ws, ledger } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const read = await checkout.readFiles("main", Object.keys(files));
    expect([...read.values()].filter((v) => v !== undefined)).toHaveLength(300);
    expect(read.get("clusters/c123/app.yaml")).toBe("rev: 123\n");
    expect(ledger.count({ endpoint: "git fetch" })).toBe(1);
  });

  it("uses the newest token given for the repository", async () => {
    const repo = fixture();
    const { ws } = workspace();
    const tokens: string[] = [];
    const recording = (label: string) => () => {
      tokens.push(label);
      return TOKEN;
    };
    const first = await ws.checkout({ url: repo.httpUrl, token: recording("a") });
    const second = await ws.checkout({ url: repo.httpUrl, token: recording("b") });
    expect(second).toBe(first);
    await second.fetch("main");
    expect(tokens).toEqual(["a", "b"]);
  });

  it("reports a branch the remote does not have as GitRefNotFoundError", async () => {
    const repo = fixture();
    const { ws, ledger } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const error = await capture(checkout.fetch("waves/0000000/none"));
    expect(error).toBeInstanceOf(GitRefNotFoundError);
    expect((error as Error).message).toContain("waves/0000000/none does not exist");
    expect(ledger.count({ endpoint: "git fetch", status: 404 })).toBe(1);
  });

  it("commits exactly the given changes once, with the app identity, and pushes them", async () => {
    const repo = fixture();
    const { ws, ledger } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: async () => TOKEN });
    const changes = [{ path: "clusters/alpha/app.yaml", content: "spec:\n  targetRevision: v2\n" }];
    const result = await checkout.commitAndPush({
      base: "main",
      branch: "waves/abc1234/canary",
      message: "bump canary to abc1234\n\nbody",
      changes,
    });
    expect(result.pushed).toBe(true);
    const info = commitInfo(repo.path, "refs/heads/waves/abc1234/canary");
    expect(info.sha).toBe(result.sha);
    expect(info.parents).toEqual([repo.sha]);
    expect(info.author).toBe(`${IDENTITY.name} <${IDENTITY.email}>`);
    expect(info.committer).toBe(`${IDENTITY.name} <${IDENTITY.email}>`);
    expect(info.message).toBe("bump canary to abc1234\n\nbody");
    expect(info.changedPaths).toEqual(["clusters/alpha/app.yaml"]);
    expect(showFile(repo.path, result.sha, "clusters/alpha/app.yaml")).toBe(changes[0]!.content);
    expect(showFile(repo.path, result.sha, "clusters/beta/app.yaml")).toBe(
      FILES["clusters/beta/app.yaml"],
    );
    expect(git(repo.path, ["rev-parse", "refs/heads/main"])).toBe(repo.sha);

    // A retry of the same promotion adopts the commit instead of pushing a duplicate.
    const retry = await checkout.commitAndPush({
      base: repo.sha,
      branch: "waves/abc1234/canary",
      message: "bump canary to abc1234\n\nbody",
      changes,
    });
    expect(retry).toEqual({ sha: result.sha, pushed: false });
    expect(ledger.count({ endpoint: "git push", status: 200 })).toBe(2);
  });

  it("knows a pushed branch's head without fetching it", async () => {
    const repo = fixture();
    const { ws, ledger } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const result = await checkout.commitAndPush({
      base: "main",
      branch: "waves/abc1234/wave-1",
      message: "bump",
      changes: [{ path: "clusters/beta/app.yaml", content: "spec:\n  targetRevision: v3\n" }],
    });
    const fetches = ledger.count({ endpoint: "git fetch" });
    expect(await checkout.headOf("waves/abc1234/wave-1")).toBe(result.sha);
    expect(await checkout.readFile("waves/abc1234/wave-1", "clusters/beta/app.yaml")).toBe(
      "spec:\n  targetRevision: v3\n",
    );
    expect(ledger.count({ endpoint: "git fetch" })).toBe(fetches);
  });

  it("commits on the base it just read, adding new files beside changed ones", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`clusters/c${i}/app.yaml`] = `rev: ${i}\n`;
    const repo = fixture(files);
    const { ws } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    // More than 64 paths: the read lists the whole tree, and the commit reuses that listing.
    const read = await checkout.readFiles(repo.sha, Object.keys(files));
    expect(read.get("clusters/c42/app.yaml")).toBe("rev: 42\n");
    const result = await checkout.commitAndPush({
      base: repo.sha,
      branch: "waves/abc1234/all",
      message: "bump all",
      changes: [
        { path: "clusters/c42/app.yaml", content: "rev: next\n" },
        { path: "clusters/c100/app.yaml", content: "rev: new\n" },
      ],
    });
    const info = commitInfo(repo.path, result.sha);
    expect(info.changedPaths).toEqual(["clusters/c100/app.yaml", "clusters/c42/app.yaml"]);
    expect(showFile(repo.path, result.sha, "clusters/c100/app.yaml")).toBe("rev: new\n");
    expect(showFile(repo.path, result.sha, "clusters/c7/app.yaml")).toBe("rev: 7\n");
    expect(git(repo.path, ["ls-tree", result.sha, "clusters/c100/app.yaml"])).toMatch(/^100644 /);
  });

  it("answers ancestry, fetching a commit it does not have yet", async () => {
    const repo = fixture();
    const { ws } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const upstream = commitToBare(repo.path, "main", { "README.md": "# next\n" });
    expect(await checkout.isAncestor(repo.sha, upstream)).toBe(true);
    expect(await checkout.isAncestor(upstream, repo.sha)).toBe(false);
    expect(await checkout.isAncestor(repo.sha, "main")).toBe(true);
    expect(await checkout.isAncestor("1".repeat(40), repo.sha)).toBe(false);
  });

  it("serialises concurrent promotions on one repo and runs two repos in parallel", async () => {
    const one = fixture();
    const two = fixture();
    const { ws } = workspace();
    const [a, b] = await Promise.all([
      ws.checkout({ url: one.httpUrl, token: () => TOKEN }),
      ws.checkout({ url: two.httpUrl, token: () => TOKEN }),
    ]);
    const waves = ["canary", "wave-1", "wave-2", "wave-3"];
    const results = await Promise.all([
      ...waves.map((wave) =>
        a!.commitAndPush({
          base: "main",
          branch: `waves/1234567/${wave}`,
          message: `bump ${wave}`,
          changes: [{ path: `clusters/${wave}/app.yaml`, content: `wave: ${wave}\n` }],
        }),
      ),
      b!.commitAndPush({
        base: "main",
        branch: "waves/7654321/canary",
        message: "bump other repo",
        changes: [{ path: "README.md", content: "# other\n" }],
      }),
    ]);
    expect(results.every((r) => r.pushed)).toBe(true);
    for (const wave of waves) {
      const info = commitInfo(one.path, `refs/heads/waves/1234567/${wave}`);
      expect(info.parents).toEqual([one.sha]);
      expect(info.changedPaths).toEqual([`clusters/${wave}/app.yaml`]);
    }
    expect(commitInfo(two.path, "refs/heads/waves/7654321/canary").changedPaths).toEqual([
      "README.md",
    ]);
  });

  it("refuses a push when the branch moved, and replaces it when forced", async () => {
    const repo = fixture();
    const { ws, ledger } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const change = (content: string) => [{ path: "README.md", content }];
    const first = await checkout.commitAndPush({
      base: "main",
      branch: "promo",
      message: "first",
      changes: change("one\n"),
    });
    const moved = commitToBare(repo.path, "promo", { "other.txt": "someone else\n" });

    const leased = await capture(
      checkout.commitAndPush({
        base: "main",
        branch: "promo",
        message: "second",
        changes: change("two\n"),
        expectedRemoteSha: first.sha,
      }),
    );
    expect(leased).toBeInstanceOf(GitPushRejectedError);
    expect((leased as Error).message).toContain("promo");
    const notFastForward = await capture(
      checkout.commitAndPush({
        base: "main",
        branch: "promo",
        message: "third",
        changes: change("3\n"),
      }),
    );
    expect(notFastForward).toBeInstanceOf(GitPushRejectedError);
    expect(git(repo.path, ["rev-parse", "refs/heads/promo"])).toBe(moved);
    expect(ledger.count({ endpoint: "git push", status: 409 })).toBe(2);

    const forced = await checkout.commitAndPush({
      base: "main",
      branch: "promo",
      message: "forced",
      changes: change("four\n"),
      force: true,
    });
    expect(git(repo.path, ["rev-parse", "refs/heads/promo"])).toBe(forced.sha);
    const created = await checkout.commitAndPush({
      base: "main",
      branch: "fresh",
      message: "must not exist yet",
      changes: change("five\n"),
      expectedRemoteSha: "",
    });
    expect(created.pushed).toBe(true);
  });

  it("reports a wrong token as GitAuthError without the token", async () => {
    const repo = fixture();
    const { ws, ledger } = workspace();
    const wrong = "ghs_WrongToken9876543210zyxwvuABC";
    const error = await capture(ws.checkout({ url: repo.httpUrl, token: () => wrong }));
    expect(error).toBeInstanceOf(GitAuthError);
    expect((error as Error).message).toContain(repo.httpUrl);
    expect((error as Error).message).not.toContain(wrong);
    expect(ledger.count({ endpoint: "git clone", status: 401 })).toBe(1);

    const noToken = await capture(ws.checkout({ url: repo.httpUrl }));
    expect(noToken).toBeInstanceOf(GitAuthError);
    // The failed clone left nothing behind; the right token then works.
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    expect(await checkout.headOf("main")).toBe(repo.sha);
  });

  it("reports a closed port as GitUnreachableError", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const { ws, ledger } = workspace();
    const error = await capture(
      ws.checkout({ url: `http://127.0.0.1:${port}/x.git`, token: () => TOKEN }),
    );
    expect(error).toBeInstanceOf(GitUnreachableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect(ledger.count({ endpoint: "git clone", status: "error" })).toBe(1);
  });

  it("refuses credentials in URLs and option-like branch names", async () => {
    const { ws } = workspace();
    const inUrl = await capture(
      ws.checkout({ url: `https://x-access-token:${TOKEN}@github.com/a/b.git` }),
    );
    expect((inUrl as Error).message).toContain("must not carry credentials");
    expect((inUrl as Error).message).not.toContain(TOKEN);
    const repo = fixture();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    const badBranch = await capture(checkout.fetch("--upload-pack=touch /tmp/pwned"));
    expect((badBranch as Error).message).toContain("is not a valid git branch name");
    const badLease = await capture(
      checkout.commitAndPush({
        base: "main",
        branch: "x",
        message: "m",
        changes: [],
        expectedRemoteSha: "main --upload-pack=x",
      }),
    );
    expect((badLease as Error).message).toContain("is not a full commit id");
    const badPath = await capture(checkout.readFile("main", "../etc/passwd"));
    expect((badPath as Error).message).toContain("is not a valid repository file path");
  });

  it("never writes the token to logs, errors or the cache", async () => {
    const repo = fixture();
    const { ws, cacheDir } = workspace();
    const checkout = await ws.checkout({ url: repo.httpUrl, token: () => TOKEN });
    await checkout.commitAndPush({
      base: "main",
      branch: "scan",
      message: "scan",
      changes: [{ path: "README.md", content: "scan\n" }],
    });
    const texts = [
      ...errorsSeen,
      ...logger.lines.map((line) => `${line.message} ${JSON.stringify(line.fields)}`),
    ];
    for (const path of await filesUnder(cacheDir)) texts.push(await readFile(path, "latin1"));
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(errorsSeen.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(ENCODED);
    }
  });
});

describe("GitWorkspace paths and openers", () => {
  it("commits paths with spaces, quotes and non-ASCII characters", async () => {
    const repo = fixture();
    const { ws } = workspace();
    // The GitHub adapter's opener type accepts it as is.
    const open: OpenCheckout = checkoutOpener(ws);
    const checkout = await open({ url: repo.httpUrl, token: TOKEN });
    const path = 'docs/a "quoted" file ü.md';
    const result = await checkout.commitAndPush({
      base: "main",
      branch: "odd-paths",
      message: "odd",
      changes: [{ path, content: "ü\n" }],
    });
    expect(commitInfo(repo.path, result.sha).changedPaths).toHaveLength(1);
    expect(showFile(repo.path, result.sha, path)).toBe("ü\n");
    expect(await checkout.readFile(result.sha, path)).toBe("ü\n");
  });
});

describe("GitWorkspace over a file:// URL", () => {
  it("partial-clones and pushes", async () => {
    const repo = fixture();
    const { ws } = workspace();
    const checkout = await ws.checkout({ url: repo.fileUrl });
    const result = await checkout.commitAndPush({
      base: "main",
      branch: "waves/feedbee/canary",
      message: "bump",
      changes: [{ path: "clusters/beta/app.yaml", content: "spec:\n  targetRevision: v3\n" }],
    });
    expect(showFile(repo.path, "refs/heads/waves/feedbee/canary", "clusters/beta/app.yaml")).toBe(
      "spec:\n  targetRevision: v3\n",
    );
    expect(await checkout.isAncestor(repo.sha, result.sha)).toBe(true);
  });
});

describe("GitWorkspace pruning of old tracking refs", () => {
  const DAY = 24 * 60 * 60 * 1000;

  function clockedWorkspace() {
    const start = Date.now();
    let now = start;
    const clock = () => new Date(now);
    return { ...workspace({ clock }), clock, at: (days: number) => (now = start + days * DAY) };
  }

  async function trackedBranches(cacheDir: string): Promise<string[]> {
    const [dir] = await readdir(cacheDir);
    const listing = git(join(cacheDir, dir!), [
      "for-each-ref",
      "--format=%(refname:lstrip=3)",
      "refs/remotes/origin/",
    ]);
    return listing.split("\n").filter(Boolean).sort();
  }

  function bump(checkout: RepoCheckout, base: string, branch: string) {
    return checkout.commitAndPush({
      base,
      branch,
      message: `bump ${branch}`,
      changes: [{ path: "README.md", content: `${branch}\n` }],
    });
  }

  it("drops old promotion branches about once a day, keeping the default and recent ones", async () => {
    const repo = fixture();
    git(repo.path, ["update-ref", "refs/heads/feature", repo.sha]);
    const { ws, ledger, cacheDir, clock, at } = clockedWorkspace();
    const checkout = await ws.checkout({ url: repo.fileUrl });
    await bump(checkout, repo.sha, "waves/aaaaaaa/canary");
    const wave1 = await bump(checkout, repo.sha, "waves/aaaaaaa/wave-1");

    // A prune runs (a day since the clone) but nothing is 14 days old yet.
    at(13.5);
    await bump(checkout, repo.sha, "waves/bbbbbbb/canary");
    // Not a day since that prune: old refs wait.
    at(14.2);
    await bump(checkout, repo.sha, "waves/ccccccc/canary");
    expect(await trackedBranches(cacheDir)).toHaveLength(6);

    at(15);
    expect(await checkout.readFile("feature", "README.md")).toBe(FILES["README.md"]);
    await bump(checkout, repo.sha, "waves/ddddddd/canary");
    // main is as old as feature, but it is the default branch; feature was just read.
    expect(await trackedBranches(cacheDir)).toEqual([
      "feature",
      "main",
      "waves/bbbbbbb/canary",
      "waves/ccccccc/canary",
      "waves/ddddddd/canary",
    ]);
    const pruned = logger.lines.filter((line) => line.message === "pruned tracking refs");
    expect(pruned.at(-1)?.fields).toMatchObject({ deleted: 2, kept: 5 });

    // A pruned branch is fetched again when read, and can be built on and pushed to.
    const fetches = ledger.count({ endpoint: "git fetch" });
    expect(await checkout.readFile("waves/aaaaaaa/canary", "README.md")).toBe(
      "waves/aaaaaaa/canary\n",
    );
    expect(ledger.count({ endpoint: "git fetch" })).toBe(fetches + 1);
    const again = await checkout.commitAndPush({
      base: "waves/aaaaaaa/wave-1",
      branch: "waves/aaaaaaa/wave-1",
      message: "bump again",
      changes: [{ path: "clusters/alpha/app.yaml", content: "spec:\n  targetRevision: v9\n" }],
    });
    expect(again.pushed).toBe(true);
    expect(commitInfo(repo.path, "refs/heads/waves/aaaaaaa/wave-1").parents).toEqual([wave1.sha]);
    expect(await trackedBranches(cacheDir)).toContain("waves/aaaaaaa/wave-1");

    // Another process on the same cache: the clone's last prune counts, and with nothing
    // fetched by it, commit dates decide.
    const other = await new GitWorkspace({ cacheDir, identity: IDENTITY, clock }).checkout({
      url: repo.fileUrl,
    });
    at(15.5);
    await bump(other, repo.sha, "waves/eeeeeee/canary");
    expect(await trackedBranches(cacheDir)).toHaveLength(8);
    // Over a day since the first process pruned, though not since this one started.
    at(16.2);
    await bump(other, repo.sha, "waves/fffffff/canary");
    expect(await trackedBranches(cacheDir)).toEqual([
      "main",
      "waves/aaaaaaa/wave-1",
      "waves/bbbbbbb/canary",
      "waves/ccccccc/canary",
      "waves/ddddddd/canary",
      "waves/eeeeeee/canary",
      "waves/fffffff/canary",
    ]);
  });

  it("logs a failed prune, still pushes, and prunes at its next turn", async () => {
    const repo = fixture();
    const { ws, cacheDir, at } = clockedWorkspace();
    const checkout = await ws.checkout({ url: repo.path });
    await bump(checkout, "main", "waves/aaaaaaa/canary");
    at(20);
    // Another process sharing the cache holds the ref's lock.
    const [dir] = await readdir(cacheDir);
    const lock = join(cacheDir, dir!, "refs/remotes/origin/waves/aaaaaaa/canary.lock");
    await writeFile(lock, "");
    const result = await bump(checkout, "main", "waves/bbbbbbb/canary");
    expect(result.pushed).toBe(true);
    const failed = logger.lines.filter((line) => line.message === "pruning tracking refs failed");
    expect(failed.at(-1)?.level).toBe("warn");
    expect(await trackedBranches(cacheDir)).toContain("waves/aaaaaaa/canary");

    await rm(lock);
    at(21);
    await bump(checkout, "main", "waves/ccccccc/canary");
    expect(await trackedBranches(cacheDir)).toEqual([
      "main",
      "waves/bbbbbbb/canary",
      "waves/ccccccc/canary",
    ]);
  });

  it("decides what to prune and when without git", () => {
    const now = Date.parse("2026-03-01T00:00:00Z");
    expect(pruneDue(PRUNE_EVERY_PUSHES, now, now)).toBe(true);
    expect(pruneDue(PRUNE_EVERY_PUSHES - 1, now - DAY + 1, now)).toBe(false);
    expect(pruneDue(1, now - DAY, now)).toBe(true);

    const sha = "a".repeat(40);
    const old = Math.floor((now - 20 * DAY) / 1000);
    const young = Math.floor((now - 2 * DAY) / 1000);
    const refs = parseTrackingRefs(
      [
        `${sha} ${old} refs/remotes/origin/main `,
        `${sha} ${old} refs/remotes/origin/waves/1111111/canary `,
        `${sha} ${young} refs/remotes/origin/waves/2222222/canary `,
        `${sha} ${old} refs/remotes/origin/waves/3333333/canary `,
        `${sha}  refs/remotes/origin/tagged `,
        `${sha} ${old} refs/remotes/origin/HEAD refs/remotes/origin/main`,
        "",
      ].join("\n"),
    );
    expect(refs.map((r) => r.branch)).toEqual([
      "main",
      "waves/1111111/canary",
      "waves/2222222/canary",
      "waves/3333333/canary",
      "tagged",
    ]);
    const doomed = refsToPrune(refs, {
      now,
      retentionMs: TRACKING_RETENTION_MS,
      defaultBranch: "main",
      fetchedAt: new Map([["waves/3333333/canary", now - DAY]]),
    });
    expect(doomed.map((r) => r.ref)).toEqual(["refs/remotes/origin/waves/1111111/canary"]);
    const older = { ...refs[1]!, branch: "waves/0000000/canary", committedAt: now - 30 * DAY };
    const keep = { now, retentionMs: TRACKING_RETENTION_MS, defaultBranch: "main" };
    expect(
      refsToPrune([refs[1]!, older], { ...keep, fetchedAt: new Map() }, 1).map((r) => r.branch),
    ).toEqual(["waves/0000000/canary"]);
  });
});
