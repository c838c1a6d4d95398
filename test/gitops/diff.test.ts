import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/gitops/diff.js";

const lines = (n: number, prefix = "line") =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join("");

describe("unifiedDiff", () => {
  it("is empty when nothing changed", () => {
    expect(unifiedDiff("a.yaml", "x\n", "x\n")).toBe("");
  });

  it("prints one changed line with three lines of context", () => {
    const before = lines(10);
    const after = before.replace("line 5\n", "line five\n");
    expect(unifiedDiff("clusters/c1/app.yaml", before, after)).toBe(
      [
        "--- a/clusters/c1/app.yaml",
        "+++ b/clusters/c1/app.yaml",
        "@@ -2,7 +2,7 @@",
        " line 2",
        " line 3",
        " line 4",
        "-line 5",
        "+line five",
        " line 6",
        " line 7",
        " line 8",
        "",
      ].join("\n"),
    );
  });

  it("splits far-apart changes into two hunks and merges near ones", () => {
    const before = lines(30);
    const far = before.replace("line 2\n", "two\n").replace("line 20\n", "twenty\n");
    const farDiff = unifiedDiff("f", before, far);
    expect(farDiff.match(/^@@ .* @@$/gm)).toEqual(["@@ -1,5 +1,5 @@", "@@ -17,7 +17,7 @@"]);
    const near = before.replace("line 2\n", "two\n").replace("line 9\n", "nine\n");
    expect(unifiedDiff("f", before, near).match(/^@@ .* @@$/gm)).toEqual(["@@ -1,12 +1,12 @@"]);
  });

  it("marks a missing final newline as git does", () => {
    expect(unifiedDiff("f", "a\nb", "a\nc")).toBe(
      "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
    );
    expect(unifiedDiff("f", "a\n", "a")).toBe(
      "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n",
    );
  });

  it("writes empty ranges by the line before them", () => {
    expect(unifiedDiff("f", "", "x\ny\n")).toBe("--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    expect(unifiedDiff("f", "a\nb\n", "a\n")).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1 @@\n a\n-b\n");
  });
});

describe("unifiedDiff against real git", () => {
  const dir = mkdtempSync(join(tmpdir(), "waves-diff-"));
  const git = (args: string[], input?: string) =>
    execFileSync("git", args, {
      cwd: dir,
      input,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
  git(["init", "-q", "-b", "main"]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("matches git diff's hunks for a simple bump", () => {
    const before = lines(12);
    const after = before.replace("line 6\n", "line six\n").replace("line 7\n", "");
    writeFileSync(join(dir, "old"), before);
    writeFileSync(join(dir, "new"), after);
    let gitOut = "";
    try {
      git(["diff", "--no-index", "--no-color", "old", "new"]);
    } catch (error) {
      gitOut = (error as { stdout: string }).stdout;
    }
    // Git appends a "function context" line to each @@ header; the ranges and lines must match.
    const hunks = (text: string) =>
      text.slice(text.indexOf("@@")).replace(/^(@@ [^@]+ @@).*$/gm, "$1");
    expect(hunks(unifiedDiff("x", before, after))).toBe(hunks(gitOut));
  });

  it("produces patches that git apply turns into the new file (random edits)", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 25; round++) {
      const base = Array.from({ length: 5 + random(40) }, () => `v${random(6)}\n`);
      const next = [...base];
      for (let edits = random(6); edits >= 0; edits--) {
        const at = random(next.length + 1);
        const what = random(3);
        if (what === 0) next.splice(at, 1);
        else if (what === 1) next.splice(at, 0, `new${random(4)}\n`);
        else next[at] = `changed${random(4)}\n`;
      }
      let before = base.join("");
      let after = next.join("");
      if (round % 5 === 0) after = after.replace(/\n$/, "");
      if (round % 7 === 0) before = before.replace(/\n$/, "");
      writeFileSync(join(dir, "file.txt"), before);
      const patch = unifiedDiff("file.txt", before, after);
      if (before === after) {
        expect(patch).toBe("");
        continue;
      }
      git(["apply", "--whitespace=nowarn", "-"], patch);
      expect(readFileSync(join(dir, "file.txt"), "utf8")).toBe(after);
    }
  });
});
