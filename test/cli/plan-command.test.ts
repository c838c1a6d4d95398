import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/cli-io.js";
import { parsePlanArgs, repoSlugFromUrl, run } from "../../src/cli/plan-command.js";

const OLD = "1111111111111111111111111111111111111111";
const NEW = "abcdef0123456789abcdef0123456789abcdef01";

const WAVES_YML = `source:
  paths: ["base/**"]
promotion:
  files:
    - path: clusters/{cluster}/kustomization.yaml
      kind: kustomize-ref
    - path: clusters/{cluster}/app.yaml
      kind: yaml
      key: spec.source.targetRevision
clusters:
  canary-1: { labels: { env: canary } }
  dev-1: { labels: { env: dev } }
  dev-2: { labels: { env: dev } }
  payments-canary: { labels: { env: prod } }
canary:
  rules:
    - paths: ["base/payments/**"]
      clusters: [payments-canary]
waves:
  - name: canary
    selector: { env: canary }
    waitTime: 30m
  - name: wave-1
    selector: { env: dev }
    waitTime: 1h
  - name: prod
    selector: { env: prod }
    requireApproval: true
`;

function kustomization(cluster: string, rev: string): string {
  return `# ${cluster}
resources:
  - https://github.com/acme/fleet//base?ref=${rev}
  - https://github.com/other/lib//base?ref=v1
`;
}

function app(cluster: string, rev: string): string {
  return `spec:
  source:
    path: clusters/${cluster}
    targetRevision: ${rev} # pinned
`;
}

let root: string;

function write(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "waves-plan-"));
  write(".github/waves.yml", WAVES_YML);
  for (const cluster of ["canary-1", "dev-1", "dev-2", "payments-canary"]) {
    write(`clusters/${cluster}/kustomization.yaml`, kustomization(cluster, OLD));
    write(`clusters/${cluster}/app.yaml`, app(cluster, OLD));
  }
  execFileSync("git", ["init", "-q", "-b", "main", root]);
  execFileSync("git", ["-C", root, "remote", "add", "origin", "git@github.com:acme/fleet.git"]);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function plan(...args: string[]) {
  const io = captureIo({ cwd: root });
  const code = await run(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

function diffFor(cluster: string): string {
  return `--- a/clusters/${cluster}/kustomization.yaml
+++ b/clusters/${cluster}/kustomization.yaml
@@ -1,4 +1,4 @@
 # ${cluster}
 resources:
-  - https://github.com/acme/fleet//base?ref=${OLD}
+  - https://github.com/acme/fleet//base?ref=${NEW}
   - https://github.com/other/lib//base?ref=v1
--- a/clusters/${cluster}/app.yaml
+++ b/clusters/${cluster}/app.yaml
@@ -1,4 +1,4 @@
 spec:
   source:
     path: clusters/${cluster}
-    targetRevision: ${OLD} # pinned
+    targetRevision: ${NEW} # pinned`;
}

describe("waves plan", () => {
  it("prints every wave's clusters and the diff of its promotion commit", async () => {
    const result = await plan("--revision", NEW);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      `${[
        `Rollout of ${NEW}: 3 waves, 4 clusters`,
        "canary: canary-1 (no canary rule matches the change and there is no fallback: the first wave's clusters)",
        "",
        "== wave 1/3: canary (1 cluster: canary-1)",
        "   wait 30m · checks argocd-sync, pod-health · progress deadline 15m",
        diffFor("canary-1"),
        "",
        "== wave 2/3: wave-1 (2 clusters: dev-1, dev-2)",
        "   wait 1h · checks argocd-sync, pod-health · progress deadline 15m",
        diffFor("dev-1"),
        diffFor("dev-2"),
        "",
        "== wave 3/3: prod (1 cluster: payments-canary)",
        "   wait 0s · checks argocd-sync, pod-health · progress deadline 15m · needs /approve prod",
        diffFor("payments-canary"),
      ].join("\n")}\n`,
    );
    // Nothing is written to the checkout.
    expect(readFileSync(join(root, "clusters/dev-1/app.yaml"), "utf8")).toBe(app("dev-1", OLD));
  });

  it("picks the rotating canary from --changed and says the push would start a rollout", async () => {
    const result = await plan(
      "--revision",
      NEW.slice(0, 7),
      "--changed",
      "base/payments/deployment.yaml",
      "README.md",
      "--repo",
      ".",
    );
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "A push would start a rollout: 1 changed file(s) match source.paths: base/payments/deployment.yaml.",
      "Rollout of abcdef0: 2 waves, 4 clusters",
      "canary: payments-canary (the change matches canary rule 1 (base/payments/**))",
    ]);
    expect(lines.filter((line) => line.startsWith("== "))).toEqual([
      "== wave 1/2: canary (1 cluster: payments-canary)",
      "== wave 2/2: wave-1 (3 clusters: canary-1, dev-1, dev-2)",
    ]);
    expect(lines).toContain(
      "skipped wave prod: all its clusters are this change's canaries, which run in the first wave",
    );
  });

  it("says so when the change would not start a rollout", async () => {
    const result = await plan(
      "--revision",
      NEW,
      "--changed",
      "clusters/dev-1/app.yaml",
      "docs/x.md",
    );
    expect(result).toEqual({
      code: 0,
      out: "No rollout would start: no changed file matches source.paths (base/**).\n",
      err: "",
    });
  });

  it("reports files already at the revision", async () => {
    write("clusters/dev-2/app.yaml", app("dev-2", NEW));
    write("clusters/dev-2/kustomization.yaml", kustomization("dev-2", NEW));
    const result = await plan("--revision", NEW);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "   clusters/dev-2/kustomization.yaml: already at abcdef0123456789abcdef0123456789abcdef01\n   clusters/dev-2/app.yaml: already at",
    );
    expect(result.out).not.toContain("--- a/clusters/dev-2/");
  });

  it("names cluster and path of every file that cannot be bumped, and exits 1", async () => {
    write("clusters/dev-1/app.yaml", "spec:\n  source:\n    path: x\n");
    rmSync(join(root, "clusters/payments-canary/kustomization.yaml"));
    const result = await plan("--revision", NEW);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      [
        "waves plan: wave wave-1: clusters/dev-1/app.yaml (cluster dev-1): key 'spec.source.targetRevision' not found: no key 'targetRevision' under 'spec.source'",
        "waves plan: wave prod: clusters/payments-canary/kustomization.yaml (cluster payments-canary): the file does not exist",
        "waves plan: 2 files cannot be bumped",
        "",
      ].join("\n"),
    );
    // The other files still show their diffs.
    expect(result.out).toContain("--- a/clusters/dev-2/app.yaml");
  });

  it("uses --source-repo over the origin remote for kustomize refs", async () => {
    const result = await plan("--revision", NEW, "--source-repo", "other/lib");
    expect(result.code).toBe(0);
    expect(result.out).toContain("+  - https://github.com/other/lib//base?ref=abcdef0");
    expect(result.out).not.toContain("+  - https://github.com/acme/fleet//base");
  });

  it("does not follow a symlink out of the checkout", async () => {
    const outside = mkdtempSync(join(tmpdir(), "waves-outside-"));
    try {
      writeFileSync(join(outside, "app.yaml"), app("dev-1", OLD));
      rmSync(join(root, "clusters/dev-1/app.yaml"));
      symlinkSync(join(outside, "app.yaml"), join(root, "clusters/dev-1/app.yaml"));
      const result = await plan("--revision", NEW);
      expect(result.code).toBe(1);
      expect(result.err).toContain(
        "clusters/dev-1/app.yaml (cluster dev-1): the file does not exist",
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("prints configuration errors with their position and exits 1", async () => {
    write(".github/waves.yml", "waves:\n  - name: a\n    waitTime: soon\n    clusters: [x]\n");
    const result = await plan("--revision", NEW);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^\.github\/waves\.yml:3:15: waves\[0\]\.waitTime: .*duration/m);
  });

  it("refuses a missing configuration with exit 2", async () => {
    const result = await plan("--revision", NEW, "--config", "nope.yml");
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "waves plan: cannot read nope.yml: no such file\n",
    });
  });

  it("refuses a bad revision and unknown options with exit 2", async () => {
    const bad = await plan("--revision", "main");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      "--revision must be a commit SHA of 7 to 40 hex characters, got 'main'",
    );
    expect((await plan("--revision", NEW, "--frobnicate")).err).toContain(
      "unknown option '--frobnicate'",
    );
    expect((await plan()).err).toContain("--revision is required");
    expect((await plan("--help")).out).toContain("usage: waves plan --revision <sha>");
  });
});

describe("parsePlanArgs", () => {
  it("takes --changed values until the next option, and --flag=value", () => {
    expect(
      parsePlanArgs(["--changed", "a", "b", "--revision=abcdef1", "--changed=c", "--repo", "r"]),
    ).toEqual({
      ok: true,
      args: {
        revision: "abcdef1",
        repo: "r",
        changed: ["a", "b", "c"],
        config: undefined,
        sourceRepo: undefined,
      },
    });
  });
});

describe("repoSlugFromUrl", () => {
  it.each([
    ["https://github.com/acme/fleet.git", "acme/fleet"],
    ["git@github.com:acme/fleet.git", "acme/fleet"],
    ["ssh://git@ghe.example.com/acme/fleet", "acme/fleet"],
    ["https://x-access-token:secret@github.com/acme/fleet.git\n", "acme/fleet"],
    ["/srv/git/fleet.git", undefined],
    ["file:///srv/git/fleet.git", undefined],
    ["https://gitlab.example.com/group/sub/fleet.git", "sub/fleet"],
    ["fleet", undefined],
  ])("%s → %s", (url, slug) => {
    expect(repoSlugFromUrl(url)).toBe(slug);
  });
});
