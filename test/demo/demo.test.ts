/**
 * Runs the whole demo through the CLI and judges the OUTCOME from the sample repository's git
 * history: which promotion merges landed on main, and what every cluster pins at the end.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/cli-io.js";
import { main } from "../../src/cli/main.js";
import { runDemo } from "../../src/demo/run-demo.js";

const run = promisify(execFile);
const FAST = ["--speed", "20000", "--tick-ms", "5"];

async function git(gitDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", gitDir, ...args], {
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

interface History {
  origin: string;
  /** main before the change was merged (every cluster on the initial revision). */
  before: string;
  /** The change's commit. */
  change: string;
  /** Merges on main's first-parent line after the change: sha and the files each one changed. */
  merges: { sha: string; files: string[] }[];
  clusterFiles: string[];
}

async function history(root: string): Promise<History> {
  const origin = join(root, "origin.git");
  const line = (await git(origin, "log", "--first-parent", "--format=%H %P|%s", "main"))
    .trim()
    .split("\n")
    .reverse();
  const changeIndex = line.findIndex((entry) =>
    entry.endsWith("|payments-api: raise replicas to 4 and ship 1.5.0"),
  );
  expect(changeIndex).toBeGreaterThan(0);
  const sha = (entry: string) => entry.split(" ")[0]!;
  const merges: History["merges"] = [];
  for (const entry of line.slice(changeIndex + 1)) {
    const [commit, first, second] = entry.split("|")[0]!.split(" ");
    expect(second, `every commit after the change is a merge: ${entry}`).toBeDefined();
    const files = (await git(origin, "diff", "--name-only", first!, commit!)).trim().split("\n");
    merges.push({ sha: commit!, files });
  }
  const clusterFiles = (await git(origin, "ls-tree", "-r", "--name-only", "main", "clusters"))
    .trim()
    .split("\n");
  return {
    origin,
    before: sha(line[changeIndex - 1]!),
    change: sha(line[changeIndex]!),
    merges,
    clusterFiles,
  };
}

const filesOf = (clusters: string[]) =>
  clusters.flatMap((c) => [`clusters/${c}/app.yaml`, `clusters/${c}/kustomization.yaml`]).sort();

const CANARY = ["canary-eu-west-1"];
const WAVE_1 = ["dev-eu-west-1", "dev-us-east-1"];
const WAVE_2 = [
  "prod-ap-south-1",
  "prod-eu-north-1",
  "prod-eu-west-1",
  "prod-us-east-1",
  "prod-us-west-1",
];

describe("waves demo (happy path)", () => {
  let dir: string;
  let code: number;
  let io: ReturnType<typeof captureIo>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "waves-demo-test-"));
    io = captureIo({ cwd: dir });
    code = await main(["demo", ...FAST, "--dir", "repo", "--report", "report.md"], io);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 0", () => {
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
  });

  it("merged one promotion per wave, in order, each bumping exactly its clusters", async () => {
    const { merges } = await history(join(dir, "repo"));
    expect(merges.map((m) => m.files.sort())).toEqual([
      filesOf(CANARY),
      filesOf(WAVE_1),
      filesOf(WAVE_2),
    ]);
  });

  it("leaves every cluster pinned to the change, and nothing else changed", async () => {
    const { origin, before, change, merges, clusterFiles } = await history(join(dir, "repo"));
    expect(clusterFiles).toEqual(filesOf([...CANARY, ...WAVE_1, ...WAVE_2]));
    for (const file of clusterFiles) {
      const old = await git(origin, "show", `${before}:${file}`);
      const now = await git(origin, "show", `main:${file}`);
      const initial = /targetRevision: ([0-9a-f]{40})/.exec(
        await git(origin, "show", `${before}:clusters/canary-eu-west-1/app.yaml`),
      )![1]!;
      expect(now, file).toBe(old.replaceAll(initial, change));
    }
    const outside = await git(
      origin,
      "diff",
      "--name-only",
      change,
      merges.at(-1)!.sha,
      "--",
      ".",
      ":!clusters",
    );
    expect(outside).toBe("");
  });

  it("writes a report with a per-wave table and a mermaid timeline", async () => {
    const report = await readFile(join(dir, "report.md"), "utf8");
    expect(report).toMatch(/^# gitops-waves demo report\n/);
    expect(report).toContain("- Outcome: **done**");
    expect(report).toContain(
      "| Wave | Clusters | PR | Opened | Merged | Approved by | Gate concluded | Bake | Outcome |",
    );
    expect(report).toMatch(/\| canary \| canary-eu-west-1 \| #\d+ \|.*\| ✅ passed \|/);
    expect(report).toMatch(/\| wave-1 \| dev-eu-west-1, dev-us-east-1 \| #\d+ \|.*\| ✅ passed \|/);
    expect(report).toMatch(/\| wave-2 \| .* \| alice \| .* \| ✅ passed \|/);
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(report)?.[1] ?? "";
    expect(mermaid).toMatch(/^gantt\n/);
    expect(mermaid.match(/^ {2}section /gm)).toHaveLength(3);
  });
});

describe("waves demo --break canary", () => {
  let dir: string;
  let code: number;
  let io: ReturnType<typeof captureIo>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "waves-demo-break-"));
    io = captureIo({ cwd: dir });
    code = await main(["demo", ...FAST, "--break", "canary", "--dir", "repo"], io);
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 0: halted and reverted is what --break expects", () => {
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
  });

  it("merged the canary promotion, then the revert, and never promoted wave-1", async () => {
    const { merges } = await history(join(dir, "repo"));
    expect(merges.map((m) => m.files.sort())).toEqual([filesOf(CANARY), filesOf(CANARY)]);
  });

  it("restored every cluster's files byte for byte", async () => {
    const { origin, before, clusterFiles } = await history(join(dir, "repo"));
    for (const file of clusterFiles) {
      expect(await git(origin, "show", `main:${file}`), file).toBe(
        await git(origin, "show", `${before}:${file}`),
      );
    }
  });
});

describe("waves demo --break wave-2", () => {
  let dir: string;
  let code: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "waves-demo-break2-"));
    code = await main(
      ["demo", ...FAST, "--break", "wave-2", "--dir", "repo"],
      captureIo({ cwd: dir }),
    );
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("promoted every wave, then one revert restored all eight clusters byte for byte", async () => {
    expect(code).toBe(0);
    const { origin, before, merges, clusterFiles } = await history(join(dir, "repo"));
    const all = filesOf([...CANARY, ...WAVE_1, ...WAVE_2]);
    expect(merges.map((m) => m.files.sort())).toEqual([
      filesOf(CANARY),
      filesOf(WAVE_1),
      filesOf(WAVE_2),
      all,
    ]);
    for (const file of clusterFiles) {
      expect(await git(origin, "show", `main:${file}`), file).toBe(
        await git(origin, "show", `${before}:${file}`),
      );
    }
  });
});

describe("runDemo with typed approvals (--interactive)", () => {
  const base = { speed: 20_000, tickMs: 5, interactive: true, keep: false, seed: 1, clusters: 3 };

  it("retries after a refused command and finishes once the approval is accepted", async () => {
    const answers = ["", "/approve wave-9", "/approve wave-2"];
    const questions: string[] = [];
    const result = await runDemo(base, {
      ask: async (question) => {
        questions.push(question);
        return answers.shift() ?? "";
      },
    });
    await rm(result.repoRoot, { recursive: true, force: true });
    expect(questions).toHaveLength(3);
    expect(questions[0]).toContain("wave wave-2 waits for approval on PR #3");
    expect(result.outcome).toBe("done");
    expect(result.expected).toBe(true);
    expect(result.snapshot.waves.find((w) => w.name === "wave-2")?.approvedBy).toBe("alice");
    const refused = result.events.filter((e) => e.kind === "comment" && e.text.includes("refused"));
    expect(refused).toHaveLength(1);
    // The verdict comes right after the comment, before the merge it set off.
    const texts = result.events.map((e) => e.text);
    const accepted = texts.indexOf("alice's /approve wave-2 accepted");
    expect(texts[accepted - 1]).toBe('alice comments "/approve wave-2" on PR #3');
    expect(texts[accepted + 1]).toMatch(/^PR #3 merged \([0-9a-f]{7}\)$/);
  }, 60_000);

  it("reports a /rollback without --break as an unexpected outcome (exit 1)", async () => {
    const result = await runDemo(base, { ask: async () => "/rollback" });
    try {
      expect(result.outcome).toBe("halted");
      expect(result.expected).toBe(false);
      const { merges, origin, before, clusterFiles } = await history(result.repoRoot);
      // canary and wave-1 promoted, then the revert: wave-2 never merged.
      expect(merges).toHaveLength(3);
      for (const file of clusterFiles) {
        expect(await git(origin, "show", `main:${file}`), file).toBe(
          await git(origin, "show", `${before}:${file}`),
        );
      }
    } finally {
      await rm(result.repoRoot, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("waves demo errors", () => {
  it("refuses a --dir that is not empty, and leaves it alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "waves-demo-full-"));
    try {
      await writeFile(join(dir, "keep-me.txt"), "mine\n");
      const io = captureIo({ cwd: dir });
      expect(await main(["demo", ...FAST, "--dir", "."], io)).toBe(1);
      expect(io.stderr()).toContain(`waves demo: the demo could not run: ${dir} is not empty`);
      expect(await readdir(dir)).toEqual(["keep-me.txt"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 naming the file when the report cannot be written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "waves-demo-report-"));
    try {
      const io = captureIo({ cwd: dir });
      const code = await main(["demo", ...FAST, "--clusters", "3", "--report", "missing/r.md"], io);
      expect(code).toBe(1);
      expect(io.stderr()).toContain(
        `waves demo: cannot write the report to ${join(dir, "missing/r.md")}`,
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
