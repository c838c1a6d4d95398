/** One cluster's argocd-sync and pod-health findings, from its apps and their resource trees. */
import type { Application, ApplicationTree } from "./argocd-types.js";
import { describeMatch, SINGLE_INSTANCE } from "./cluster-targets.js";
import { count, type Finding, worstFinding } from "./finding.js";
import type { OkTarget } from "./instance-snapshot.js";
import { judgePods } from "./pod-verdict.js";
import { type RevisionMatcher, shortRevision } from "./revision-match.js";
import { judgeAppSync } from "./sync-verdict.js";

export type TreeOutcome = { ok: true; tree: ApplicationTree } | { ok: false; reason: string };

export interface ClusterApps {
  target: OkTarget;
  apps: Application[];
  /** The app's resource tree, when pod-health fetched it. */
  treeOf(app: Application): TreeOutcome | undefined;
  /** Why pod-health waits for the app (not on the wave's revision yet), if it does. */
  waitingFor?(app: Application): string | undefined;
  link(app: Application): string;
}

/** Zero apps, or fewer than `expectedApps`: both checks fail with the same reason. */
export function appsProblem({ target, apps }: ClusterApps): Finding | undefined {
  const on = target.instance.name === SINGLE_INSTANCE ? "" : ` on Argo CD ${target.instance.name}`;
  const where = `${describeMatch(target.match)}${on}`;
  if (apps.length === 0) {
    return { status: "fail", reason: `no Argo CD applications match ${where}` };
  }
  if (target.expectedApps !== undefined && apps.length < target.expectedApps) {
    const names = apps.map((a) => a.metadata.name).join(", ");
    return {
      status: "fail",
      reason: `only ${apps.length} of ${target.expectedApps} expected applications match ${where} (found: ${names})`,
    };
  }
  return undefined;
}

export interface PodInputs {
  maxRestarts: number;
  baseline: Readonly<Record<string, number>>;
  mergedAt?: Date;
}

/**
 * Marks a cluster whose restart baseline is complete: every pod of every app was read once. Pods
 * with zero restarts are then left out of the baseline, which keeps the clock (stored in a check
 * run, 65,535 characters at most) small for big waves.
 */
export function baselineMarker(cluster: string): string {
  return `${cluster}/*`;
}

export function podHealthFinding(
  cluster: ClusterApps,
  inputs: PodInputs,
): { finding: Finding; newBaseline: Record<string, number> } {
  const firstSeen: Record<string, number> = {};
  const findings: Finding[] = [];
  const marker = baselineMarker(cluster.target.cluster);
  const baselineComplete = inputs.baseline[marker] !== undefined;
  let pods = 0;
  let allRead = true;
  for (const app of cluster.apps) {
    const tree = cluster.treeOf(app);
    const url = cluster.link(app);
    const waiting = cluster.waitingFor?.(app);
    if (waiting) {
      allRead = false;
      findings.push({ status: "pending", reason: waiting, url });
      continue;
    }
    if (!tree?.ok) {
      allRead = false;
      const why = tree?.reason ?? "not fetched";
      findings.push({
        status: "unknown",
        reason: `${app.metadata.name}: resource tree unavailable — ${why}`,
        url,
      });
      continue;
    }
    const judged = judgePods(tree.tree, {
      cluster: cluster.target.cluster,
      appName: app.metadata.name,
      maxRestarts: inputs.maxRestarts,
      baseline: inputs.baseline,
      baselineComplete,
      ...(inputs.mergedAt ? { mergedAt: inputs.mergedAt } : {}),
    });
    Object.assign(firstSeen, judged.newBaseline);
    pods += judged.pods;
    findings.push({ ...judged.finding, url });
  }
  const newBaseline: Record<string, number> = {};
  if (!baselineComplete && allRead) {
    newBaseline[marker] = 0;
    for (const [key, restarts] of Object.entries(firstSeen))
      if (restarts > 0) newBaseline[key] = restarts;
  } else {
    Object.assign(newBaseline, firstSeen);
  }
  const worst = worstFinding(findings);
  if (worst && worst.status !== "pass") return { finding: worst, newBaseline };
  const apps = cluster.apps.length;
  return {
    finding: { status: "pass", reason: `${count(pods, "pod")} ready in ${count(apps, "app")}` },
    newBaseline,
  };
}

export interface SyncInputs {
  revision: string;
  matches: RevisionMatcher;
  repos: readonly string[];
}

export async function syncFinding(cluster: ClusterApps, inputs: SyncInputs): Promise<Finding> {
  const findings = await Promise.all(
    cluster.apps.map(async (app) => {
      const tree = cluster.treeOf(app);
      // With the tree at hand, a Degraded app's reason names what its pods are doing.
      const detail = tree?.ok
        ? judgePods(tree.tree, {
            cluster: cluster.target.cluster,
            appName: app.metadata.name,
            maxRestarts: Number.POSITIVE_INFINITY,
            baseline: {},
          }).degradedDetail
        : undefined;
      const judged = await judgeAppSync(app, {
        ...inputs,
        ...(detail ? { degradedDetail: detail } : {}),
      });
      return { ...judged, url: cluster.link(app) };
    }),
  );
  const worst = worstFinding(findings)!;
  if (worst.status !== "pass" || cluster.apps.length === 1) return worst;
  return {
    status: "pass",
    reason: `${cluster.apps.length} apps Synced to ${shortRevision(inputs.revision)}, Healthy`,
  };
}
