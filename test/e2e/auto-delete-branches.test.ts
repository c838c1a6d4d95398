/**
 * Black-box: the repository has "Automatically delete head branches" on, so GitHub deletes every
 * `waves/…` branch once its PR merges. The app reads a rollout from its PRs (state in the bodies,
 * checks on commits), never from those branches: rollouts still finish, reverts still land.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateAppKeys } from "../support/app-keys.js";
import { FakeGitHub } from "../support/fake-github/fake-github.js";
import { expectNoDuplicatePrs, expectNoSecrets } from "./e2e-assertions.js";
import { E2eStack, REPO } from "./e2e-stack.js";
import { awaitWavesGreen, breakCanaryAndAwaitRevert, shortOf } from "./e2e-steps.js";
import { ensureBuilt } from "./ensure-built.js";

/** The `waves/…` branches still in the fake's bare repository. */
async function wavesBranches(s: E2eStack): Promise<string[]> {
  const refs = await s.github.repo(REPO).git.refs();
  return [...refs.keys()].filter((ref) => ref.startsWith("refs/heads/waves/"));
}

/** GitHub deletes a merged PR's branch just after the merge: wait for that, then check. */
async function expectNoWavesBranches(s: E2eStack): Promise<void> {
  await s.until(
    "every waves/ branch deleted",
    async () => (await wavesBranches(s)).length === 0,
    10_000,
  );
  expect(await wavesBranches(s)).toEqual([]);
}

/** App log lines at warn (40) or above, pino's JSON levels. */
function warnings(s: E2eStack): string[] {
  return s.logs.filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 40;
    } catch {
      return false;
    }
  });
}

describe("fake GitHub: delete_branch_on_merge", () => {
  it("deletes a merged PR's head branch only when the repository asks for it", async ({
    onTestFinished,
  }) => {
    const fake = await FakeGitHub.start({
      appId: 7,
      publicKey: generateAppKeys().publicKey,
      webhookSecret: "secret",
    });
    onTestFinished(() => fake.close());
    const kept = await fake.createRepo("acme/kept", { "a.txt": "1\n" });
    const gone = await fake.createRepo("acme/gone", { "a.txt": "1\n" });
    gone.deleteBranchOnMerge = true;
    expect(fake.toRepositoryJson(kept).delete_branch_on_merge).toBe(false);
    expect(fake.toRepositoryJson(gone).delete_branch_on_merge).toBe(true);

    for (const name of ["acme/kept", "acme/gone"]) {
      await fake.mergeChange(name, {
        files: { "a.txt": "2\n" },
        title: "Change",
        author: "alice",
        branch: "feature/x",
      });
    }
    expect(await kept.git.head("feature/x")).toBeDefined();
    expect(await gone.git.head("feature/x")).toBeUndefined();
    // The merged PR keeps its head sha, and the merge keeps that commit reachable.
    const [pr] = gone.pulls;
    expect(pr?.merged).toBe(true);
    expect(await gone.git.readFile(pr?.headSha ?? "", "a.txt")).toBe("2\n");
  });
});

describe.concurrent("e2e: rollouts when merged branches are deleted", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("three waves to done; every promotion PR merged and its branch gone", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({ deleteBranchOnMerge: true });
    onTestFinished(() => s.stop());
    const { sha, pr } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 3\n" },
      title: "Scale payments",
      author: "alice",
    });
    expect(await s.github.repo(REPO).git.head(pr.head)).toBeUndefined();
    await awaitWavesGreen(s, sha);
    await s.until("the rollout's outcome counted", async () => {
      const text = await (await fetch(`${s.appUrl}/metrics`)).text();
      return /waves_wave_outcomes_total\{outcome="passed"\} 3/.test(text) || undefined;
    });
    for (const cluster of s.clusters) expect(await s.pinned(cluster)).toContain(shortOf(sha));
    const promotions = s.github.pullsOf(REPO).filter((p) => p.head.startsWith("waves/"));
    expect(promotions.map((p) => [p.head.split("/").at(-1), p.merged])).toEqual([
      ["canary", true],
      ["wave-1", true],
      ["wave-2", true],
    ]);
    await expectNoWavesBranches(s);
    // GitHub told the app about each deletion, and the app took it calmly.
    await s.github.webhooks.idle();
    const deletes = s.github.webhooks.deliveries.filter((d) => d.event === "delete");
    expect(deletes.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(warnings(s)).toEqual([]);
    expectNoDuplicatePrs(s);
    expectNoSecrets(s);
  }, 120_000);

  it("SIGKILL once the canary merged and its branch is gone: the restarted app resumes from the PRs", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      deleteBranchOnMerge: true,
      waves: [
        { name: "canary", clusters: ["canary-1"], waitTime: "3s" },
        { name: "wave-1", clusters: ["dev-1"] },
        { name: "wave-2", clusters: ["prod-1"] },
      ],
    });
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 8\n" },
      title: "Resume without branches",
      author: "alice",
    });
    const canary = `waves/${shortOf(sha)}/canary`;
    await s.until("canary merged and its branch deleted", async () => {
      const merged = s.github.pullsOf(REPO).some((p) => p.head === canary && p.merged);
      return (merged && (await s.github.repo(REPO).git.head(canary)) === undefined) || undefined;
    });
    await s.killApp();
    expect(s.github.pullsOf(REPO).some((p) => p.head.endsWith("/wave-1"))).toBe(false);
    await s.startApp();
    await awaitWavesGreen(s, sha, ["wave-1", "wave-2"]);
    for (const cluster of s.clusters) expect(await s.pinned(cluster)).toContain(shortOf(sha));
    await expectNoWavesBranches(s);
    expectNoDuplicatePrs(s);
  }, 120_000);

  it("canary turns Degraded → revert PR merged, files restored, its branch gone too", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({ broken: ["canary-1"], deleteBranchOnMerge: true });
    onTestFinished(() => s.stop());
    await breakCanaryAndAwaitRevert(s);
    await expectNoWavesBranches(s);
    await s.github.webhooks.idle();
    const deletes = s.github.webhooks.deliveries.filter((d) => d.event === "delete");
    expect(deletes.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(warnings(s)).toEqual([]);
    expectNoDuplicatePrs(s);
    expectNoSecrets(s);
  }, 120_000);
});
