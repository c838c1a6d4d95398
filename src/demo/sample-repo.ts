/**
 * The demo's sample GitOps repository, made with real git in a temp folder: `base/` (the
 * shared manifests that changes are merged into) and `clusters/<name>/` (each cluster pins the
 * revision of `base/` it runs, in a kustomization remote ref and an Argo CD Application), with a
 * `.github/waves.yml` of three waves. A bare `origin.git` plays the hosted repository; `work/` is
 * a developer's clone used to make the change.
 */
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { demoGit, type GitIdentity } from "./demo-git.js";

/** The repository the kustomize remote refs point at (matched by the `kustomize-ref` bumper). */
export const SAMPLE_REPO_SLUG = "acme/fleet-gitops";
export const DEVELOPER: GitIdentity = { name: "dana", email: "dana@acme.invalid" };

export interface SampleCluster {
  name: string;
  env: "canary" | "dev" | "prod";
  region: string;
}

export interface SampleRepoOptions {
  /** Parent directory; default a new temp directory. */
  dir?: string;
  /** Number of clusters (at least 3: one canary, one dev, one prod). Default 8. */
  clusters?: number;
  argocdUrl: string;
  prometheusUrl: string;
  /** Bake time per wave, as written in waves.yml. */
  waitTimes?: { canary: string; wave1: string; wave2: string };
  /** Who may `/approve wave-2` besides writers. */
  approvers?: string[];
}

export interface SampleRepo {
  root: string;
  /** The bare repository ("GitHub"). */
  origin: string;
  /** A developer's working clone. */
  work: string;
  clusters: SampleCluster[];
  /** Wave name → cluster names, as the config declares them. */
  waves: { name: string; clusters: string[] }[];
  /** The commit every cluster pins at the start. */
  initialRevision: string;
  /** Paths of every promotion file (for byte-for-byte comparisons). */
  promotionFiles: string[];
}

const REGIONS = ["eu-west", "us-east", "ap-south", "eu-north", "us-west", "sa-east"];

/** Lays out N clusters: one canary, about a third dev, the rest prod. */
export function sampleClusters(count: number): SampleCluster[] {
  const n = Math.max(3, count);
  const dev = Math.max(1, Math.round((n - 1) / 3));
  const clusters: SampleCluster[] = [
    { name: "canary-eu-west-1", env: "canary", region: "eu-west" },
  ];
  for (let i = 0; i < n - 1; i++) {
    const env = i < dev ? "dev" : "prod";
    const index = env === "dev" ? i : i - dev;
    const region = REGIONS[index % REGIONS.length]!;
    const ordinal = Math.floor(index / REGIONS.length) + 1;
    clusters.push({ name: `${env}-${region}-${ordinal}`, env, region });
  }
  return clusters;
}

function wavesYaml(
  clusters: SampleCluster[],
  options: SampleRepoOptions,
): { text: string; waves: SampleRepo["waves"] } {
  const waits = options.waitTimes ?? { canary: "10m", wave1: "15m", wave2: "20m" };
  const approvers = options.approvers ?? ["alice"];
  const byEnv = (env: SampleCluster["env"]) =>
    clusters.filter((c) => c.env === env).map((c) => c.name);
  const waves = [
    { name: "canary", clusters: byEnv("canary") },
    { name: "wave-1", clusters: byEnv("dev") },
    { name: "wave-2", clusters: byEnv("prod") },
  ];
  const clusterLines = clusters.map(
    (c) => `  ${c.name}: { labels: { env: ${c.env}, region: ${c.region} } }`,
  );
  const text = `# gitops-waves demo configuration: every merge to base/ rolls out in three waves.
source:
  branch: main
  paths: ["base/**"]
promotion:
  files:
    - path: clusters/{cluster}/kustomization.yaml
      kind: kustomize-ref
      match: ${SAMPLE_REPO_SLUG}
    - path: clusters/{cluster}/app.yaml
      kind: yaml
      key: spec.source.targetRevision
argocd:
  url: ${options.argocdUrl}
  tokenEnv: ARGOCD_TOKEN
prometheus:
  url: ${options.prometheusUrl}
clusters:
${clusterLines.join("\n")}
healthChecks:
  error-rate:
    type: prometheus
    query: sum(rate(http_requests_total{cluster="{cluster}",code=~"5.."}[5m])) / sum(rate(http_requests_total{cluster="{cluster}"}[5m]))
    condition: "< 0.01"
    onNoData: fail
defaults:
  healthChecks: [argocd-sync, pod-health]
  progressDeadline: 15m
waves:
  - name: canary
    clusters: [${waves[0]!.clusters.join(", ")}]
    waitTime: ${waits.canary}
    healthChecks: [argocd-sync, pod-health, error-rate]
  - name: wave-1
    selector: { env: dev }
    waitTime: ${waits.wave1}
  - name: wave-2
    selector: { env: prod }
    waitTime: ${waits.wave2}
    requireApproval: true
    approvers: { users: [${approvers.join(", ")}] }
onNewChange: supersede
rollback:
  autoMerge: true
`;
  return { text, waves };
}

function baseFiles(): Record<string, string> {
  return {
    "base/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
`,
    "base/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
spec:
  replicas: 3
  selector:
    matchLabels: { app: payments-api }
  template:
    metadata:
      labels: { app: payments-api }
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/payments-api:1.4.2
          ports: [{ containerPort: 8080 }]
`,
    "base/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: payments-api
spec:
  selector: { app: payments-api }
  ports: [{ port: 80, targetPort: 8080 }]
`,
  };
}

function clusterFiles(cluster: SampleCluster, revision: string): Record<string, string> {
  const dir = `clusters/${cluster.name}`;
  return {
    [`${dir}/kustomization.yaml`]: `# ${cluster.name} (${cluster.env}, ${cluster.region}): runs base/ at a pinned revision.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: payments
resources:
  - https://github.com/${SAMPLE_REPO_SLUG}//base?ref=${revision}
commonLabels:
  cluster: ${cluster.name}
`,
    [`${dir}/app.yaml`]: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments-${cluster.name}
  namespace: argocd
  labels:
    cluster: ${cluster.name}
spec:
  project: default
  source:
    repoURL: https://github.com/${SAMPLE_REPO_SLUG}.git
    path: clusters/${cluster.name}
    targetRevision: ${revision}
  destination:
    name: ${cluster.name}
    namespace: payments
  syncPolicy:
    automated: { prune: true, selfHeal: true }
`,
  };
}

async function writeAll(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** Creates the sample repository: origin (bare) + work clone, both on `main`. */
export async function createSampleRepo(options: SampleRepoOptions): Promise<SampleRepo> {
  const root = options.dir ?? (await mkdtemp(join(tmpdir(), "waves-demo-")));
  if (options.dir) {
    await mkdir(root, { recursive: true });
    if ((await readdir(root)).length > 0) {
      throw new Error(
        `${root} is not empty: give a new or empty directory for the sample repository`,
      );
    }
  }
  const origin = join(root, "origin.git");
  const work = join(root, "work");
  const clusters = sampleClusters(options.clusters ?? 8);

  await mkdir(origin, { recursive: true });
  await demoGit(origin, ["init", "--bare", "-b", "main"]);
  await mkdir(work, { recursive: true });
  await demoGit(work, ["init", "-b", "main"]);
  await demoGit(work, ["remote", "add", "origin", origin]);

  await writeAll(work, {
    ...baseFiles(),
    "README.md":
      "# fleet-gitops\n\nThe payments API on every cluster, rolled out by gitops-waves.\n",
  });
  await demoGit(work, ["add", "-A"]);
  await demoGit(work, ["commit", "-q", "-m", "Add payments-api base manifests"]);
  const initialRevision = (await demoGit(work, ["rev-parse", "HEAD"])).trim();

  const { text, waves } = wavesYaml(clusters, options);
  const perCluster = Object.assign({}, ...clusters.map((c) => clusterFiles(c, initialRevision)));
  await writeAll(work, { ...perCluster, ".github/waves.yml": text });
  await demoGit(work, ["add", "-A"]);
  await demoGit(work, ["commit", "-q", "-m", "Pin every cluster to the first base revision"]);
  await demoGit(work, ["push", "-q", "origin", "main"]);

  return {
    root,
    origin,
    work,
    clusters,
    waves,
    initialRevision,
    promotionFiles: Object.keys(perCluster).sort(),
  };
}

/**
 * The developer's change: a commit to `base/` pushed to origin's main (the "merge").
 * Returns the new revision and the paths it touched.
 */
export async function mergeSampleChange(
  repo: SampleRepo,
  message = "payments-api: raise replicas to 4 and ship 1.5.0",
): Promise<{ revision: string; changedPaths: string[] }> {
  await demoGit(repo.work, ["pull", "-q", "--ff-only", "origin", "main"]);
  const path = "base/deployment.yaml";
  const next = baseFiles()
    [path]!.replace("replicas: 3", "replicas: 4")
    .replace("payments-api:1.4.2", "payments-api:1.5.0");
  await writeFile(join(repo.work, path), next);
  await demoGit(repo.work, ["commit", "-q", "-am", message], DEVELOPER);
  await demoGit(repo.work, ["push", "-q", "origin", "main"], DEVELOPER);
  const revision = (await demoGit(repo.work, ["rev-parse", "HEAD"])).trim();
  return { revision, changedPaths: [path] };
}
