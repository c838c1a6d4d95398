/** Black-box: a failing canary is reverted byte-for-byte; a newer merge supersedes a rollout. */
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoDuplicatePrs, expectNoSecrets } from "./e2e-assertions.js";
import { E2eStack, REPO } from "./e2e-stack.js";
import { breakCanaryAndAwaitRevert, shortOf } from "./e2e-steps.js";
import { ensureBuilt } from "./ensure-built.js";

describe.concurrent("e2e: failures", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("canary turns Degraded → revert PR merged, files restored byte-for-byte, rollout halted", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({ broken: ["canary-1"] });
    onTestFinished(() => s.stop());
    await breakCanaryAndAwaitRevert(s);
    expectNoDuplicatePrs(s);
    expectNoSecrets(s);
  }, 120_000);

  it("a newer merge supersedes the rollout in flight: its open PRs closed, the newer one done", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      waves: [
        { name: "canary", clusters: ["canary-1"], waitTime: "4s" },
        { name: "wave-1", clusters: ["dev-1"] },
        { name: "wave-2", clusters: ["prod-1"] },
      ],
    });
    onTestFinished(() => s.stop());
    const first = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 5\n" },
      title: "First",
      author: "alice",
    });
    await s.until("first canary merged", () =>
      s.github
        .pullsOf(REPO)
        .find((p) => p.head === `waves/${shortOf(first.sha)}/canary` && p.merged),
    );
    const second = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 6\n" },
      title: "Second",
      author: "alice",
    });
    await s.until(
      "second rollout's wave-2 merged",
      () =>
        s.github
          .pullsOf(REPO)
          .find((p) => p.head === `waves/${shortOf(second.sha)}/wave-2` && p.merged),
      45_000,
    );
    const firstPrs = s.github
      .pullsOf(REPO)
      .filter((p) => p.head.startsWith(`waves/${shortOf(first.sha)}/`));
    expect(firstPrs.filter((p) => p.state === "open")).toEqual([]);
    expect(firstPrs.some((p) => p.head.endsWith("/wave-2") && p.merged)).toBe(false);
    for (const cluster of s.clusters)
      expect(await s.pinned(cluster)).toContain(shortOf(second.sha));
    expectNoDuplicatePrs(s);
  }, 120_000);

  it("a real Prometheus error rate fails the canary while Argo CD says Healthy → reverted", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      waves: [
        {
          name: "canary",
          clusters: ["canary-1"],
          healthChecks: ["argocd-sync", "pod-health", "error-rate"],
        },
        { name: "wave-1", clusters: ["dev-1"] },
      ],
      prometheus: { badMetric: ["canary-1"] },
    });
    onTestFinished(() => s.stop());
    const before = await s.pinned("canary-1");
    await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 11\n" },
      title: "Raise the error rate",
      author: "alice",
    });
    const failed = await s.until("canary check failure", () =>
      s.github
        .checkRunsOf(REPO)
        .find((r) => r.name === "waves / canary" && r.conclusion === "failure"),
    );
    const output = `${failed.output.summary ?? ""}\n${failed.output.text ?? ""}`;
    expect(output).toContain("error-rate");
    expect(output).toContain("0.2");
    expect(s.follower.state("canary-1")?.health).toBe("Healthy");
    await s.until("revert PR merged", () =>
      s.github.pullsOf(REPO).find((p) => p.labels.includes("waves:revert") && p.merged),
    );
    expect(await s.pinned("canary-1")).toBe(before);
    expect(s.github.pullsOf(REPO).some((p) => p.head.endsWith("/wave-1"))).toBe(false);
  }, 120_000);
});
