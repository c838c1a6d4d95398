/**
 * Black-box, two repositories: the change is merged in the source (acme/fleet, with
 * `.github/waves.yml` naming `target.repository: acme/gitops`); the rollout PRs, wave checks
 * and cluster pins are in the GitOps repository; the overall check is on the source commit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSecrets } from "./e2e-assertions.js";
import { E2eStack, REPO } from "./e2e-stack.js";
import { awaitWavesMerged, shortOf } from "./e2e-steps.js";
import { ensureBuilt } from "./ensure-built.js";

const GITOPS = "acme/gitops";

describe("e2e: target.repository", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("a change merged in the source rolls out canary → done through PRs in the GitOps repo", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      gitops: GITOPS,
      waves: [
        { name: "canary", clusters: ["canary-1"] },
        { name: "wave-1", clusters: ["prod-1"] },
      ],
    });
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 3\n" },
      title: "Scale payments",
      author: "alice",
    });
    await awaitWavesMerged(s, sha, ["canary", "wave-1"], GITOPS);
    await s.until("the overall check on the source commit succeeds", () =>
      s.github
        .checkRunsOf(REPO)
        .find(
          (r) => r.name === "waves / rollout" && r.headSha === sha && r.conclusion === "success",
        ),
    );
    const waveChecks = s.github
      .checkRunsOf(GITOPS)
      .filter((r) => /^waves \/ (canary|wave-1)$/.test(r.name));
    expect(waveChecks.map((r) => r.conclusion)).toEqual(["success", "success"]);
    // Nothing of the rollout landed in the source repository but its overall check.
    expect(s.github.pullsOf(REPO).filter((p) => p.head.startsWith("waves/"))).toEqual([]);
    for (const cluster of s.clusters) expect(await s.pinned(cluster)).toContain(shortOf(sha));
    expectNoSecrets(s);
  }, 120_000);
});
