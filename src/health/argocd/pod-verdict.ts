/**
 * pod-health for one application, from the Pod nodes of its Argo CD resource tree. Argo CD puts
 * into a Pod node's `info`: "Status Reason" (CrashLoopBackOff, ImagePullBackOff, OOMKilled,
 * Completed, Running, Init:0/2…), "Node", "Containers" ("ready/total") and "Restart Count"
 * (only when above zero).
 */
import type { ApplicationTree, ResourceNode } from "./argocd-types.js";
import { count, type Finding, oneLine, worstFinding } from "./finding.js";

/** Container states that mean the pod is broken, not merely starting. */
const BROKEN_REASONS = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "OOMKilled",
  "Error",
  "CreateContainerConfigError",
  "CreateContainerError",
  "InvalidImageName",
  "RunContainerError",
  "ContainerCannotRun",
  "Evicted",
]);

/** Pods that are done or going away say nothing about the new revision. */
const FINISHED_REASONS = new Set(["Completed", "Succeeded", "Terminating"]);

export interface PodJudgeOptions {
  cluster: string;
  appName: string;
  maxRestarts: number;
  /** Restart counts recorded earlier, by `cluster/app/namespace/pod`. */
  baseline: Readonly<Record<string, number>>;
  /** When the wave merged; pods created after it start from zero restarts. */
  mergedAt?: Date;
  /** The cluster's baseline was taken: a pod missing from it starts from zero restarts. */
  baselineComplete?: boolean;
}

export interface PodJudgement {
  finding: Finding;
  pods: number;
  /** Pre-existing pods first seen in this evaluation, with their restart counts (zeros too). */
  newBaseline: Record<string, number>;
  /** A short detail for a Degraded app's argocd-sync reason, e.g. "CrashLoopBackOff, 6 restarts". */
  degradedDetail?: string;
}

function infoOf(node: ResourceNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of node.info ?? []) if (item.name) out.set(item.name, item.value ?? "");
  return out;
}

function restartsText(restarts: number): string {
  return count(restarts, "restart");
}

export function judgePods(tree: ApplicationTree, options: PodJudgeOptions): PodJudgement {
  const { appName, cluster, maxRestarts } = options;
  const pods = (tree.nodes ?? []).filter((node) => node.kind === "Pod" && !node.group);
  const newBaseline: Record<string, number> = {};
  const findings: Finding[] = [];
  let degradedDetail: string | undefined;
  let live = 0;

  for (const pod of pods) {
    const info = infoOf(pod);
    const statusReason = oneLine(info.get("Status Reason"), 60);
    if (FINISHED_REASONS.has(statusReason)) continue;
    live++;
    const podName = pod.name ?? "?";
    const reason = statusReason.replace(/^Init:/, "");
    const restarts = Number.parseInt(info.get("Restart Count") ?? "0", 10) || 0;
    const key = `${cluster}/${appName}/${pod.namespace ?? ""}/${podName}`;
    let base = options.baseline[key];
    if (base === undefined) {
      const created = pod.createdAt ? Date.parse(pod.createdAt) : Number.NaN;
      const merged = options.mergedAt?.getTime() ?? Number.NaN;
      const newer = Number.isFinite(created) && Number.isFinite(merged) && created > merged;
      if (newer || options.baselineComplete) {
        // Created after the merge, or absent when the cluster's baseline was taken (so it had
        // no restarts then, or did not exist yet).
        base = 0;
      } else {
        base = restarts;
        newBaseline[key] = restarts;
      }
    }
    const grown = restarts - base;
    const health = pod.health?.status;

    if (BROKEN_REASONS.has(reason)) {
      const detail = restarts > 0 ? `${statusReason}, ${restartsText(restarts)}` : statusReason;
      degradedDetail ??= detail;
      findings.push({ status: "fail", reason: `${appName}: pod ${podName} ${detail}` });
    } else if (health === "Degraded") {
      const detail = oneLine(pod.health?.message) || statusReason || "Degraded";
      degradedDetail ??= detail;
      findings.push({ status: "fail", reason: `${appName}: pod ${podName} Degraded — ${detail}` });
    } else if (grown > maxRestarts) {
      findings.push({
        status: "fail",
        reason: `${appName}: pod ${podName} restarted ${count(grown, "time")} since the wave merged (max ${maxRestarts})`,
      });
    } else {
      const containers = /^(\d+)\/(\d+)$/.exec(info.get("Containers") ?? "");
      const notReady = containers ? Number(containers[1]) < Number(containers[2]) : false;
      if (notReady || health === "Progressing") {
        const parts = [
          containers ? `${containers[0]} containers ready` : "",
          statusReason && statusReason !== "Running" ? statusReason : "",
        ].filter(Boolean);
        const detail = parts.length > 0 ? ` (${parts.join(", ")})` : "";
        findings.push({
          status: "pending",
          reason: `${appName}: pod ${podName} not ready${detail}`,
        });
      } else if (health === "Unknown" || health === "Missing") {
        findings.push({ status: "pending", reason: `${appName}: pod ${podName} health ${health}` });
      }
    }
  }

  const worst = worstFinding(findings);
  const finding: Finding = worst ?? {
    status: "pass",
    reason: live === 0 ? `${appName}: no running pods` : `${appName}: ${count(live, "pod")} ready`,
  };
  return {
    finding,
    pods: live,
    newBaseline,
    ...(degradedDetail ? { degradedDetail } : {}),
  };
}
