/**
 * A generated GitOps repository for benchmarks: per cluster a kustomization.yaml (remote base
 * pinned with ?ref=) and an Argo CD app.yaml (targetRevision), plus filler manifests, written
 * as a bare repository with one `git fast-import` run. Waves of the config are cut from the
 * cluster list by size.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const SOURCE_REPO = "acme/app";
const INITIAL_REVISION = "0000000000000000000000000000000000000000";

export function benchGitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
}

function git(cwd: string, args: string[], input?: Buffer | string): string {
  return execFileSync("git", args, {
    cwd,
    env: benchGitEnv(),
    input,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  }).trim();
}

export function clusterName(index: number): string {
  return `cluster-${String(index).padStart(4, "0")}`;
}

function kustomization(cluster: string, revision = INITIAL_REVISION): string {
  return [
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    `# overlay for ${cluster}`,
    "resources:",
    `  - https://github.com/${SOURCE_REPO}//deploy/base?ref=${revision}`,
    "  - ../../common/monitoring",
    `namespace: app-${cluster}`,
    "",
  ].join("\n");
}

function application(cluster: string, revision = INITIAL_REVISION): string {
  return [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    `  name: app-${cluster}`,
    "  labels:",
    `    cluster: ${cluster}`,
    "spec:",
    "  project: default",
    "  source:",
    `    repoURL: https://github.com/${SOURCE_REPO}.git`,
    `    path: deploy/overlays/${cluster}`,
    `    targetRevision: ${revision} # pinned by waves`,
    "  destination:",
    `    name: ${cluster}`,
    "    namespace: app",
    "",
  ].join("\n");
}

function filler(index: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-${index}\ndata:\n  value: "${index}"\n`;
}

/** The `.github/waves.yml` whose waves hold `sizes[i]` clusters each, in cluster order. */
export function wavesConfig(sizes: readonly number[]): { text: string; names: string[] } {
  const names: string[] = [];
  const lines = [
    "promotion:",
    "  files:",
    "    - path: clusters/{cluster}/kustomization.yaml",
    "      kind: kustomize-ref",
    "    - path: clusters/{cluster}/app.yaml",
    "      kind: yaml",
    "      key: spec.source.targetRevision",
    "waves:",
  ];
  let next = 0;
  sizes.forEach((size, i) => {
    const name = `wave-${i}-${size}`;
    names.push(name);
    const clusters = Array.from({ length: size }, (_, k) => clusterName(next + k));
    next += size;
    lines.push(`  - name: ${name}`, `    clusters: [${clusters.join(", ")}]`, "    waitTime: 1m");
  });
  return { text: `${lines.join("\n")}\n`, names };
}

export interface FixtureRepo {
  path: string;
  files: number;
}

/** Writes `<root>/<name>.git` with `clusters` clusters and filler up to `totalFiles` files. */
export function createFixtureRepo(
  root: string,
  name: string,
  clusters: number,
  totalFiles: number,
  config: string,
): FixtureRepo {
  const path = join(root, `${name}.git`);
  mkdirSync(root, { recursive: true });
  git(root, ["init", "--bare", "-q", "-b", "main", path]);
  for (const [key, value] of [
    ["http.receivepack", "true"],
    ["uploadpack.allowFilter", "true"],
    ["uploadpack.allowAnySHA1InWant", "true"],
    // The server's own housekeeping would run inside timed pushes; GitHub does it elsewhere.
    ["receive.autogc", "false"],
  ] as const) {
    git(path, ["config", key, value]);
  }
  const files: [string, string][] = [[".github/waves.yml", config]];
  for (let i = 0; i < clusters; i++) {
    const cluster = clusterName(i);
    files.push([`clusters/${cluster}/kustomization.yaml`, kustomization(cluster)]);
    files.push([`clusters/${cluster}/app.yaml`, application(cluster)]);
  }
  for (let i = 0; files.length < totalFiles; i++) {
    files.push([`common/component-${i % 100}/manifest-${i}.yaml`, filler(i)]);
  }
  git(
    path,
    ["fast-import", "--quiet", "--done"],
    commitStream("main", files, "generated fleet", undefined),
  );
  git(path, ["repack", "-a", "-d", "-b", "-q"]);
  return { path, files: files.length };
}

/**
 * Appends the history a fleet repository gathers in use: `rollouts` past rollouts, each one
 * commit per wave (cut from the cluster list by `sizes`, as in {@link wavesConfig}) pinning a
 * new revision in both files of every cluster of the wave. Then repacks with bitmaps, as a git
 * host keeps its repositories. Returns the number of commits added.
 */
export function addPromotionHistory(
  repoPath: string,
  sizes: readonly number[],
  rollouts: number,
): number {
  const parts: Buffer[] = [];
  let from: string | undefined = git(repoPath, ["rev-parse", "refs/heads/main"]);
  let commits = 0;
  for (let rollout = 1; rollout <= rollouts; rollout++) {
    const revision = rollout.toString(16).padStart(40, "a");
    let next = 0;
    for (const size of sizes) {
      const files: [string, string][] = [];
      for (let k = next; k < next + size; k++) {
        const cluster = clusterName(k);
        files.push([`clusters/${cluster}/kustomization.yaml`, kustomization(cluster, revision)]);
        files.push([`clusters/${cluster}/app.yaml`, application(cluster, revision)]);
      }
      next += size;
      parts.push(
        commitStream("main", files, `waves: promote ${revision.slice(0, 7)}`, from, false),
      );
      from = undefined;
      commits += 1;
    }
  }
  if (commits === 0) return 0;
  parts.push(Buffer.from("done\n"));
  git(repoPath, ["fast-import", "--quiet", "--done"], Buffer.concat(parts));
  git(repoPath, ["repack", "-a", "-d", "-b", "-q"]);
  return commits;
}

function commitStream(
  branch: string,
  files: readonly [string, string][],
  message: string,
  from: string | undefined,
  done = true,
): Buffer {
  const who = `Bench <bench@example.com> ${Math.floor(Date.now() / 1000)} +0000`;
  const parts: Buffer[] = [];
  const data = (text: string) => {
    const body = Buffer.from(text);
    parts.push(Buffer.from(`data ${body.length}\n`), body, Buffer.from("\n"));
  };
  parts.push(Buffer.from(`commit refs/heads/${branch}\ncommitter ${who}\n`));
  data(message);
  if (from) parts.push(Buffer.from(`from ${from}\n`));
  for (const [path, content] of files) {
    parts.push(Buffer.from(`M 100644 inline ${path}\n`));
    data(content);
  }
  if (done) parts.push(Buffer.from("done\n"));
  return Buffer.concat(parts);
}

/** Someone else's commit on main (a filler change), so the next fetch has something to get. */
export function upstreamCommit(repoPath: string, round: number): string {
  const from = git(repoPath, ["rev-parse", "refs/heads/main"]);
  const files: [string, string][] = [[`common/component-0/upstream-${round}.yaml`, filler(round)]];
  git(
    repoPath,
    ["fast-import", "--quiet", "--done", "--force"],
    commitStream("main", files, `upstream ${round}`, from),
  );
  return git(repoPath, ["rev-parse", "refs/heads/main"]);
}
