import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/config");

describe("waves validate", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "waves-validate-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function validate(...args: string[]) {
    const io = captureIo({ cwd: dir });
    const code = await main(["validate", ...args], io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  }

  it("reads .github/waves.yml under the working directory by default and prints one OK line", async () => {
    mkdirSync(join(dir, ".github"));
    copyFileSync(join(FIXTURES, "seed.yml"), join(dir, ".github/waves.yml"));
    expect(await validate()).toEqual({
      code: 0,
      stdout: "OK: .github/waves.yml — 3 waves, 4 clusters\n",
      stderr: "",
    });
  });

  it("counts selector-resolved and canary clusters, and prints warnings to stderr", async () => {
    copyFileSync(join(FIXTURES, "full-with-canary.yml"), join(dir, "waves.yml"));
    const result = await validate("waves.yml");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("OK: waves.yml — 3 waves, 5 clusters\n");
    expect(result.stderr).toBe(
      [
        "waves.yml:40:16: warning: waves[2].clusters[0]: wave 'wave-2' lists cluster 'staging-cluster-1', which is not under clusters:",
        "waves.yml:51:18: warning: canary.rules[0].clusters[0]: canary rule 1 lists cluster 'payments-canary', which is not under clusters:",
        "",
      ].join("\n"),
    );
  });

  it("fails on warnings with --strict", async () => {
    copyFileSync(join(FIXTURES, "full.yml"), join(dir, "waves.yml"));
    const result = await validate("--strict", "waves.yml");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "waves.yml:40:16: waves[2].clusters[0]: wave 'wave-2' lists cluster 'staging-cluster-1', which is not under clusters:\nwaves.yml: 1 error\n",
    );
  });

  it("prints every error with its position and exits 1", async () => {
    writeFileSync(
      join(dir, "bad.yml"),
      "waves:\n  - name: canary\n    clusters: [a]\n    waitTime: 1 hour\n  - name: canary\n    clusters: [a]\n",
    );
    const result = await validate(join(dir, "bad.yml"));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toEqual([
      `${join(dir, "bad.yml")}:4:15: waves[0].waitTime: waitTime '1 hour' is not a duration: write it like 500ms, 90s, 30m, 1h30m or 2d`,
      `${join(dir, "bad.yml")}:5:11: waves[1].name: wave name 'canary' is used twice (first by waves[0]): wave names must be unique`,
      `${join(dir, "bad.yml")}:6:16: waves[1].clusters[0]: cluster 'a' is in wave 'canary' and again in wave 'canary': a cluster belongs to one wave only`,
      `${join(dir, "bad.yml")}: 3 errors`,
      "",
    ]);
  });

  it("exits 2 for a missing file", async () => {
    expect(await validate("nope.yml")).toEqual({
      code: 2,
      stdout: "",
      stderr: "waves validate: cannot read nope.yml: no such file\n",
    });
  });

  it("exits 2 for a directory", async () => {
    const result = await validate(".");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waves validate: cannot read \.: .* is not a file\n$/);
  });

  it.skipIf(process.getuid?.() === 0)("exits 2 for an unreadable file", async () => {
    writeFileSync(join(dir, "secret.yml"), "waves: []\n");
    chmodSync(join(dir, "secret.yml"), 0o000);
    expect((await validate("secret.yml")).stderr).toBe(
      "waves validate: cannot read secret.yml: permission denied\n",
    );
  });

  it("exits 2 for usage errors", async () => {
    const unknown = await validate("--fast");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("waves validate: unknown option '--fast'");
    expect(unknown.stderr).toContain("usage: waves validate [--strict] [file]");
    const two = await validate("a.yml", "b.yml");
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("expected one file, got 2");
  });

  it("prints help with exit 0", async () => {
    const result = await validate("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: waves validate");
  });

  it("refuses an oversized file without reading it", async () => {
    writeFileSync(join(dir, "big.yml"), `# ${"x".repeat(300 * 1024)}\n`);
    const result = await validate("big.yml");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "big.yml:1:1: the file is 301 KiB; a waves configuration may be at most 256 KiB\nbig.yml: 1 error\n",
    );
  });
});
