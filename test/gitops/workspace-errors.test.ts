import { describe, expect, it } from "vitest";
import {
  classifyGitFailure,
  GitAuthError,
  GitCommandError,
  GitPushRejectedError,
  GitRefNotFoundError,
  GitUnreachableError,
  gitDetail,
} from "../../src/gitops/git-errors.js";
import { checkBranchName, checkFilePath, parseRemote } from "../../src/gitops/git-remote.js";

const REMOTE = "https://github.com/acme/fleet.git";

describe("classifyGitFailure", () => {
  const cases = [
    {
      stderr: "fatal: Authentication failed for 'https://github.com/acme/fleet.git/'",
      type: GitAuthError,
    },
    {
      stderr: "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      type: GitAuthError,
    },
    {
      stderr:
        "remote: Repository not found.\nfatal: repository 'https://github.com/acme/fleet.git/' not found",
      type: GitAuthError,
    },
    {
      stderr:
        "fatal: unable to access 'https://github.com/acme/fleet.git/': The requested URL returned error: 403",
      type: GitAuthError,
    },
    {
      stderr:
        "fatal: unable to access 'http://127.0.0.1:9/x.git/': Failed to connect to 127.0.0.1 port 9: Connection refused",
      type: GitUnreachableError,
    },
    {
      stderr:
        "fatal: unable to access 'https://nope.invalid/x.git/': Could not resolve host: nope.invalid",
      type: GitUnreachableError,
    },
    {
      stderr: "fatal: '/tmp/none' does not appear to be a git repository",
      type: GitUnreachableError,
    },
    { stderr: "fatal: couldn't find remote ref refs/heads/gone", type: GitRefNotFoundError },
    { stderr: "fatal: bad object HEAD", type: GitCommandError },
  ];
  for (const { stderr, type } of cases) {
    it(`${type.name} for: ${gitDetail(stderr)}`, () => {
      const error = classifyGitFailure({ operation: "fetch", remote: REMOTE, stderr, ref: "gone" });
      expect(error).toBeInstanceOf(type);
      expect(error.message).toContain(REMOTE);
      expect(error.operation).toBe("fetch");
    });
  }

  it("tells a moved branch from a stale lease and a refusing hook", () => {
    const push = (stderr: string) =>
      classifyGitFailure({ operation: "push", remote: REMOTE, stderr, ref: "waves/abc/canary" });
    const moved = push(
      " ! [rejected]        abc -> waves/abc/canary (fetch first)\nerror: failed to push some refs",
    );
    expect(moved).toBeInstanceOf(GitPushRejectedError);
    expect(moved.message).toBe(
      `git push of branch waves/abc/canary to ${REMOTE} was rejected: the branch moved (not a fast-forward)`,
    );
    expect(push(" ! [rejected] abc -> waves/abc/canary (stale info)").message).toContain(
      "no longer at the expected commit",
    );
    expect(
      push(" ! [remote rejected] abc -> waves/abc/canary (protected branch hook declined)").message,
    ).toContain("the remote refused it");
  });
});

describe("remote and name checks", () => {
  it("derives a safe, unique cache name from the URL", () => {
    const remote = parseRemote("https://github.com/acme/fleet.git");
    expect(remote.cacheName).toMatch(/^github\.com_acme_fleet-[0-9a-f]{10}\.git$/);
    expect(parseRemote("https://github.com/acme/fleet.git").cacheName).toBe(remote.cacheName);
    expect(parseRemote("https://github.com/acme/fleet2.git").cacheName).not.toBe(remote.cacheName);
    expect(parseRemote("file:///srv/git/x.git").kind).toBe("file-url");
    expect(parseRemote("/srv/git/x.git").kind).toBe("path");
  });

  it("refuses credentials, other protocols and option-like input", () => {
    expect(() => parseRemote("https://user:secret-pass@github.com/a/b.git")).toThrow(
      /must not carry credentials/,
    );
    expect(() => parseRemote("git@github.com:a/b.git")).toThrow(/must be https/);
    expect(() => parseRemote("ssh://github.com/a/b.git")).toThrow(/must be https/);
    expect(() => parseRemote("--upload-pack=evil")).toThrow(/must not start with '-'/);
    for (const bad of ["", "-x", "a..b", "a b", "a:b", "a~1", "x.lock", "a/", "a\u0001"]) {
      expect(() => checkBranchName(bad)).toThrow(/is not a valid git branch name/);
    }
    expect(checkBranchName("refs/heads/waves/abc1234/wave-1")).toBe("waves/abc1234/wave-1");
    for (const bad of ["/etc/passwd", "a/../b", "a//b", ".git/config", "a/\nb", ""]) {
      expect(() => checkFilePath(bad)).toThrow(/is not a valid repository file path/);
    }
  });
});
