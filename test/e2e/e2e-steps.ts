/** Steps several e2e scenarios take the same way: waves merging green, a canary reverted. */
import { expect } from "vitest";
import { clusterFile, type E2eStack, INITIAL_REVISION, REPO } from "./e2e-stack.js";

export const shortOf = (sha: string) => sha.slice(0, 7);

const WAVES = ["canary", "wave-1", "wave-2"];

/** Waits until each of `waves` of `sha`'s rollout merged (in `repo`, where its PRs live). */
export async function awaitWavesMerged(
  s: E2eStack,
  sha: string,
  waves: readonly string[] = WAVES,
  repo = REPO,
): Promise<void> {
  for (const wave of waves) {
    await s.until(`${wave} merged`, () =>
      s.github.pullsOf(repo).find((p) => p.head === `waves/${shortOf(sha)}/${wave}` && p.merged),
    );
  }
}

/** Waits until each of `waves` of `sha`'s rollout merged, then until all three wave checks pass. */
export async function awaitWavesGreen(
  s: E2eStack,
  sha: string,
  waves: readonly string[] = WAVES,
): Promise<void> {
  await awaitWavesMerged(s, sha, waves);
  await s.until("every wave check success", () => {
    const runs = s.github
      .checkRunsOf(REPO)
      .filter((r) => /^waves \/ (canary|wave-1|wave-2)$/.test(r.name));
    return runs.length === 3 && runs.every((r) => r.conclusion === "success");
  });
}

/**
 * Merges a change on a stack whose canary is broken and checks the whole halt: the revert PR
 * merged, canary-1's file back byte for byte, a failing canary check, the halted label and no
 * wave-1 PR. Returns the change's sha.
 */
export async function breakCanaryAndAwaitRevert(s: E2eStack): Promise<string> {
  const before = await s.pinned("canary-1");
  expect(before).toBe(clusterFile("canary-1", INITIAL_REVISION));
  const { sha } = await s.github.mergeChange(REPO, {
    files: { "base/app.yaml": "replicas: 0\n" },
    title: "Break it",
    author: "alice",
  });
  const revert = await s.until("revert PR merged", () =>
    s.github.pullsOf(REPO).find((p) => p.labels.includes("waves:revert") && p.merged),
  );
  expect(revert.head.startsWith(`waves/${shortOf(sha)}`)).toBe(true);
  expect(await s.pinned("canary-1")).toBe(before);
  await s.until("canary check failure", () =>
    s.github
      .checkRunsOf(REPO)
      .find((r) => r.name === "waves / canary" && r.conclusion === "failure"),
  );
  await s.until("halted label", () =>
    s.github.pullsOf(REPO).find((p) => p.labels.includes("waves:halted")),
  );
  expect(s.github.pullsOf(REPO).some((p) => p.head.endsWith("/wave-1"))).toBe(false);
  return sha;
}
