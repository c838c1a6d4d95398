import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoGit } from "../../src/demo/demo-git.js";
import { createSampleRepo, type SampleRepo } from "../../src/demo/sample-repo.js";
import {
  createFleetFollower,
  type FollowerArgoCd,
  readBlobs,
} from "../../src/fleet/fleet-follower.js";

type SyncCall = Parameters<FollowerArgoCd["syncApp"]>[1] & { name: string };

function recorder(): FollowerArgoCd & { calls: SyncCall[] } {
  const calls: SyncCall[] = [];
  return { calls, syncApp: (name, state) => calls.push({ name, ...state }) };
}

/** Pins read from the app.yaml targetRevision line (the follower does not care how). */
async function pinOf(cluster: string, read: (path: string) => Promise<string | undefined>) {
  const text = await read(`clusters/${cluster}/app.yaml`);
  return text ? /targetRevision: (\S+)/.exec(text)?.[1] : undefined;
}

/** Re-pins clusters directly on origin's main, as a merged promotion would. */
async function repin(repo: SampleRepo, clusters: string[], revision: string): Promise<string> {
  await demoGit(repo.work, ["pull", "-q", "--ff-only", "origin", "main"]);
  const { readFile, writeFile } = await import("node:fs/promises");
  for (const cluster of clusters) {
    const path = join(repo.work, "clusters", cluster, "app.yaml");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace(/targetRevision: \S+/, `targetRevision: ${revision}`));
  }
  await demoGit(repo.work, ["commit", "-q", "-am", "bump"]);
  await demoGit(repo.work, ["push", "-q", "origin", "main"]);
  return (await demoGit(repo.work, ["rev-parse", "HEAD"])).trim();
}

describe("fleet follower", () => {
  let repo: SampleRepo | undefined;
  afterEach(async () => {
    if (repo) await rm(repo.root, { recursive: true, force: true });
    repo = undefined;
  });

  it("reads blobs in one batch, missing paths as undefined", async () => {
    repo = await createSampleRepo({
      argocdUrl: "http://127.0.0.1:1",
      prometheusUrl: "http://127.0.0.1:2",
      clusters: 3,
    });
    const blobs = await readBlobs(repo.origin, "main", [
      "README.md",
      "nope.txt",
      "base/service.yaml",
    ]);
    expect(blobs.get("README.md")).toContain("# fleet-gitops");
    expect(blobs.get("nope.txt")).toBeUndefined();
    expect(blobs.get("base/service.yaml")).toContain("kind: Service");
  });

  it("seeds healthy apps, then syncs re-pinned clusters Progressing → Healthy / Degraded", async () => {
    repo = await createSampleRepo({
      argocdUrl: "http://127.0.0.1:1",
      prometheusUrl: "http://127.0.0.1:2",
      clusters: 3,
    });
    const argocd = recorder();
    const rates = new Map<string, number>();
    let now = new Date("2026-01-01T00:00:00Z");
    const names = repo.clusters.map((c) => c.name);
    const [canary, dev] = names as [string, string, string];
    const follower = createFleetFollower({
      gitDir: repo.origin,
      clusters: names,
      appName: (c) => `payments-${c}`,
      argocd,
      metrics: { setValue: (c, v) => rates.set(c, v) },
      pinOf,
      clock: () => now,
      healthyAfterMs: 30_000,
      isBroken: (cluster, pinned) => cluster === canary && pinned === "bad0000",
    });
    const seeded = await follower.tick();
    expect(seeded.map((e) => e.kind)).toEqual(["healthy", "healthy", "healthy"]);
    expect(argocd.calls.every((c) => c.health === "Healthy")).toBe(true);
    expect(rates.get(canary)).toBe(0.002);

    const head = await repin(repo, [canary, dev], "bad0000");
    now = new Date("2026-01-01T00:01:00Z");
    expect(await follower.tick()).toEqual([
      { cluster: canary, kind: "syncing", pinned: "bad0000", at: now },
      { cluster: dev, kind: "syncing", pinned: "bad0000", at: now },
    ]);
    expect(argocd.calls.at(-1)).toEqual({
      name: `payments-${dev}`,
      revision: head,
      health: "Progressing",
      at: now,
    });
    now = new Date("2026-01-01T00:01:29Z");
    expect(await follower.tick()).toEqual([]);
    now = new Date("2026-01-01T00:01:30Z");
    const settled = await follower.tick();
    expect(settled.map((e) => [e.cluster, e.kind])).toEqual([
      [canary, "degraded"],
      [dev, "healthy"],
    ]);
    expect(argocd.calls.at(-2)).toMatchObject({
      health: "Degraded",
      podReason: "CrashLoopBackOff",
      revision: head,
    });
    expect(rates.get(canary)).toBe(0.087);
    expect(rates.get(dev)).toBe(0.002);
    expect(follower.state(canary)).toMatchObject({
      pinned: "bad0000",
      syncedTo: head,
      health: "Degraded",
    });
  });
});
