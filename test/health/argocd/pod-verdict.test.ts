import { describe, expect, it } from "vitest";
import type { ResourceNode } from "../../../src/health/argocd/argocd-types.js";
import { judgePods } from "../../../src/health/argocd/pod-verdict.js";

function pod(
  name: string,
  info: Record<string, string>,
  health = "Healthy",
  createdAt = "2026-01-01T09:00:00Z",
): ResourceNode {
  return {
    version: "v1",
    kind: "Pod",
    namespace: "ns",
    name,
    health: { status: health },
    info: Object.entries(info).map(([k, v]) => ({ name: k, value: v })),
    createdAt,
  };
}

const base = {
  cluster: "c1",
  appName: "api",
  maxRestarts: 0,
  baseline: {},
  mergedAt: new Date("2026-01-01T10:00:00Z"),
};

describe("judgePods", () => {
  it("ignores completed and terminating pods and non-Pod nodes", () => {
    const judged = judgePods(
      {
        nodes: [
          pod("job-1", { "Status Reason": "Completed", Containers: "0/1" }),
          pod("old-1", { "Status Reason": "Terminating", Containers: "0/1" }, "Progressing"),
          {
            kind: "Pod",
            group: "metrics.k8s.io",
            name: "not-a-core-pod",
            health: { status: "Degraded" },
          },
          { kind: "Deployment", group: "apps", name: "api", health: { status: "Degraded" } },
          pod("api-1", { "Status Reason": "Running", Containers: "1/1" }),
        ],
      },
      base,
    );
    expect(judged.finding).toEqual({ status: "pass", reason: "api: 1 pod ready" });
    expect(judged.pods).toBe(1);
  });

  it("fails an init container in CrashLoopBackOff and a Degraded pod without a known reason", () => {
    expect(
      judgePods(
        {
          nodes: [
            pod(
              "api-1",
              { "Status Reason": "Init:CrashLoopBackOff", "Restart Count": "3" },
              "Degraded",
            ),
          ],
        },
        base,
      ).finding,
    ).toEqual({ status: "fail", reason: "api: pod api-1 Init:CrashLoopBackOff, 3 restarts" });
    const degraded = {
      ...pod("api-2", { "Status Reason": "Running" }, "Degraded"),
      health: { status: "Degraded", message: "readiness probe failed" },
    };
    expect(judgePods({ nodes: [degraded] }, base).finding).toEqual({
      status: "fail",
      reason: "api: pod api-2 Degraded — readiness probe failed",
    });
  });

  it("without a merge time every unseen pod is pre-existing: its count becomes the baseline", () => {
    const judged = judgePods(
      {
        nodes: [
          pod(
            "api-1",
            { "Status Reason": "Running", Containers: "1/1", "Restart Count": "7" },
            "Healthy",
            "2026-01-01T11:00:00Z",
          ),
        ],
      },
      { ...base, mergedAt: undefined },
    );
    expect(judged.finding.status).toBe("pass");
    expect(judged.newBaseline).toEqual({ "c1/api/ns/api-1": 7 });
  });

  it("a broken pod outranks a pending one, and the count of the rest is given", () => {
    const judged = judgePods(
      {
        nodes: [
          pod("api-1", { "Status Reason": "ContainerCreating", Containers: "0/1" }, "Progressing"),
          pod("api-2", { "Status Reason": "ErrImagePull", Containers: "0/1" }, "Progressing"),
          pod("api-3", { "Status Reason": "ImagePullBackOff", Containers: "0/1" }, "Progressing"),
        ],
      },
      base,
    );
    expect(judged.finding).toEqual({
      status: "fail",
      reason: "api: pod api-2 ErrImagePull (+1 more failing)",
    });
    expect(judged.degradedDetail).toBe("ErrImagePull");
  });
});
