/**
 * Black-box: the real app process against the fake GitHub and a fake Argo CD that follows what
 * is merged. Happy path to done, and approvals (unauthorised refused, authorised merges).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoDuplicatePrs, expectNoPings, expectNoSecrets } from "./e2e-assertions.js";
import { E2eStack, REPO } from "./e2e-stack.js";
import { awaitWavesGreen, shortOf } from "./e2e-steps.js";
import { ensureBuilt } from "./ensure-built.js";

describe.concurrent("e2e: rollouts", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("a merged change rolls out through three waves to done, one PR per wave", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start();
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 3\n" },
      title: "Scale payments for @acme/platform",
      author: "alice",
    });
    await awaitWavesGreen(s, sha);
    for (const cluster of s.clusters) {
      expect(await s.pinned(cluster)).toContain(shortOf(sha));
    }
    const promotion = s.github.pullsOf(REPO).find((p) => p.head.endsWith("/canary"));
    expect(promotion?.labels).toEqual(expect.arrayContaining(["waves:promotion", "waves:canary"]));
    // Every GitHub call the app made is counted and exported on /metrics (the last wave's
    // outcome is counted when the reconcile that concluded it returns, so wait for it).
    const metrics = await s.until("metrics with three passed waves", async () => {
      const text = await (await fetch(`${s.appUrl}/metrics`)).text();
      return /waves_wave_outcomes_total\{outcome="passed"\} 3/.test(text) ? text : undefined;
    });
    expect(metrics).toContain(
      'waves_outward_calls_total{target="github",endpoint="POST /repos/{owner}/{repo}/pulls",status="201"} 3',
    );
    expect(metrics).toMatch(/waves_github_rate_limit_remaining \d+/);
    expectNoDuplicatePrs(s);
    expectNoPings(s, "@acme/platform");
    expectNoSecrets(s);
  }, 120_000);

  it("wave-2 waits for /approve wave-2: a read-only user is refused, a writer's approval merges it", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      waves: [
        { name: "canary", clusters: ["canary-1"] },
        { name: "wave-1", clusters: ["dev-1"] },
        { name: "wave-2", clusters: ["prod-1"], requireApproval: true },
      ],
    });
    onTestFinished(() => s.stop());
    s.github.grant(REPO, "bob", "write");
    s.github.grant(REPO, "mallory", "read");
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 4\n" },
      title: "Bump",
      author: "alice",
    });
    const branch = `waves/${shortOf(sha)}/wave-2`;
    const pr = await s.until("wave-2 PR awaiting approval", () =>
      s.github
        .pullsOf(REPO)
        .find((p) => p.head === branch && p.labels.includes("waves:awaiting-approval")),
    );
    await s.until("action_required check with an Approve button", () =>
      s.github
        .checkRunsOf(REPO)
        .find(
          (r) =>
            r.name === "waves / wave-2" &&
            r.conclusion === "action_required" &&
            r.actions.length > 0,
        ),
    );

    const refused = await s.github.comment(REPO, pr.number, "mallory", "/approve wave-2");
    await s.until("refusal reaction", () => refused.reactions.find((r) => r.content === "-1"));
    await s.until("refusal reply", () =>
      s.github
        .repo(REPO)
        .comments.find((c) => c.user.login === s.github.bot.login && c.issue === pr.number),
    );
    expect(pr.merged).toBe(false);

    const approved = await s.github.comment(REPO, pr.number, "bob", "/approve wave-2");
    await s.until("approval accepted", () => approved.reactions.find((r) => r.content === "+1"));
    await s.until("wave-2 merged", () => (pr.merged ? pr : undefined));
    expect(await s.pinned("prod-1")).toContain(shortOf(sha));
    expectNoDuplicatePrs(s);
    expectNoSecrets(s);
  }, 120_000);
});
