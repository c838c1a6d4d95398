/** The probe's calls (how many, with what), its clock patch, links, retries and logs. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeArgoCd, startFakeArgoCd } from "../../../src/fleet/argocd-server.js";
import { createArgoCdProbe } from "../../../src/health/argocd/argocd-probe.js";
import type { ResourceNode } from "../../../src/health/argocd/argocd-types.js";
import type { ProbeContext } from "../../../src/health/types.js";
import { capturingLogger } from "../../../src/util/logger.js";
import { CallLedger } from "../../../src/util/outward-calls.js";
import {
  CHILD,
  config,
  ENV,
  labelledApp,
  MERGE,
  MERGED_AT,
  NOW,
  PINNED,
  podCheck,
  runProbe,
  SYNC_CHECK,
  SYNCED_AT,
  singleInstance,
  TOKEN,
  wavePlan,
} from "./probe-harness.js";

const LIST = "GET /api/v1/applications";
const TREE = "GET /api/v1/applications/{name}/resource-tree";
const CLUSTERS = "GET /api/v1/clusters";

function deploy(fake: FakeArgoCd, name: string, cluster: string, revision = PINNED) {
  fake.upsertApp(labelledApp(name, cluster));
  fake.syncApp(name, { revision, health: "Healthy", at: SYNCED_AT, pods: 2 });
}

function treeOf(fake: FakeArgoCd) {
  return fake.getTree("api")?.nodes ?? [];
}

function setRestarts(node: ResourceNode, restarts: number) {
  node.info = (node.info ?? []).filter((i) => i.name !== "Restart Count");
  if (restarts > 0) node.info.push({ name: "Restart Count", value: String(restarts) });
}

describe("createArgoCdProbe", () => {
  let a: FakeArgoCd;
  let b: FakeArgoCd;
  beforeAll(async () => {
    a = await startFakeArgoCd({ token: TOKEN });
    b = await startFakeArgoCd({ token: TOKEN });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => {
    a.reset();
    b.reset();
  });

  it("makes one list call per instance per evaluation and tree calls only for the wave's apps", async () => {
    const wave = ["eu-1", "eu-2", "eu-3", "us-1", "us-2"];
    for (const cluster of wave) {
      const fake = cluster.startsWith("eu") ? a : b;
      for (const app of ["api", "web", "worker"]) deploy(fake, `${app}-${cluster}`, cluster);
    }
    // Apps of clusters outside the wave: listed, never asked for their trees.
    for (const app of ["api", "web"]) deploy(a, `${app}-eu-9`, "eu-9");
    const cfg = config(
      {
        eu: { url: a.url, tokenEnv: "ARGOCD_TOKEN" },
        us: { url: b.url, tokenEnv: "ARGOCD_TOKEN" },
      },
      wave,
      {
        clusters: Object.fromEntries(
          wave.map((c) => [c, { argocd: { instance: c.startsWith("eu") ? "eu" : "us" } }]),
        ),
      },
    );
    const { results, ledger } = await runProbe(cfg, wave, [SYNC_CHECK, podCheck()]);

    expect(results.map((r) => [r.cluster, r.check, r.status])).toEqual(
      wave.flatMap((c) => [
        [c, "argocd-sync", "pass"],
        [c, "pod-health", "pass"],
      ]),
    );
    expect(results[1]?.reason).toBe("6 pods ready in 3 apps");
    expect(ledger.count({ endpoint: LIST })).toBe(2);
    expect(ledger.count({ endpoint: CLUSTERS })).toBe(2);
    expect(ledger.count({ endpoint: TREE })).toBe(15);
    expect(a.requestCount("/api/v1/applications")).toBe(1 + 9);
    expect(b.requestCount("/api/v1/applications")).toBe(1 + 6);
    expect(a.requestLog().filter((p) => p.includes("eu-9"))).toEqual([]);
    // Several label selectors on one key become one server-side `in` selector.
    expect(a.requestLog()).toContain(
      `/api/v1/applications?${new URLSearchParams({ selector: "cluster in (eu-1,eu-2,eu-3)" })}`,
    );
  });

  it("argocd-sync alone makes no tree calls; a single cluster's selector goes to the server", async () => {
    deploy(a, "api", "c1");
    deploy(a, "api-other", "c2");
    const { results, ledger } = await runProbe(
      config(singleInstance(a), ["c1"]),
      ["c1"],
      [SYNC_CHECK],
    );
    expect(results.map((r) => r.status)).toEqual(["pass"]);
    expect(ledger.count({ endpoint: TREE })).toBe(0);
    expect(a.requestLog()).toEqual(
      expect.arrayContaining([
        `/api/v1/applications?${new URLSearchParams({ selector: "cluster=c1" })}`,
        "/api/v1/clusters",
      ]),
    );
    expect(a.requestLog()).toHaveLength(2);
  });

  it("lists everything and filters on our side when selectors cannot be combined", async () => {
    deploy(a, "api", "c1");
    a.upsertApp(labelledApp("web", "c2", { destination: { name: "c2", namespace: "web" } }));
    a.syncApp("web", { revision: PINNED, health: "Healthy", at: SYNCED_AT });
    const cfg = config(singleInstance(a), ["c1", "c2"], {
      clusters: { c2: { argocd: { destinationName: "c2" } } },
    });
    const { results } = await runProbe(cfg, ["c1", "c2"], [SYNC_CHECK]);
    expect(results.map((r) => [r.cluster, r.status, r.reason])).toEqual([
      ["c1", "pass", "api: Synced to 3f2c1d0, Healthy"],
      ["c2", "pass", "web: Synced to 3f2c1d0, Healthy"],
    ]);
    expect(a.requestLog()).toContain("/api/v1/applications");
  });

  it("pod-health waits for apps not yet on the wave's revision, without reading their trees", async () => {
    const OLD = "0123456789abcdef0123456789abcdef01234567";
    deploy(a, "api", "c1"); // on the wave's revision
    deploy(a, "web", "c1", OLD); // still on the previous one: its healthy pods are the old ones
    const cfg = config(singleInstance(a), ["c1"]);
    const first = await runProbe(cfg, ["c1"], [podCheck()]);
    expect(first.results.map((r) => [r.check, r.status, r.reason])).toEqual([
      ["pod-health", "pending", "web: pods not judged until it is on 3f2c1d0 (on 0123456)"],
    ]);
    expect(first.ledger.count({ endpoint: TREE })).toBe(1);
    expect(a.requestLog()).not.toContain("/api/v1/applications/web/resource-tree");

    // Once Argo CD is on the revision, its pods are judged like any other.
    a.syncApp("web", { revision: PINNED, health: "Healthy", at: SYNCED_AT, pods: 2 });
    const second = await runProbe(cfg, ["c1"], [podCheck()]);
    expect(second.results.map((r) => [r.status, r.reason])).toEqual([
      ["pass", "4 pods ready in 2 apps"],
    ]);
    expect(second.ledger.count({ endpoint: TREE })).toBe(2);
  });

  it("keeps resource-tree calls within the concurrency bound", async () => {
    const slow = await startFakeArgoCd({ token: TOKEN, latencyMs: 20 });
    try {
      for (let i = 0; i < 12; i++) deploy(slow, `app-${i}`, "c1");
      slow.resetCounts();
      const { results, ledger } = await runProbe(
        config(singleInstance(slow), ["c1"]),
        ["c1"],
        [podCheck()],
        {
          concurrency: 3,
        },
      );
      expect(results.map((r) => [r.status, r.reason])).toEqual([
        ["pass", "24 pods ready in 12 apps"],
      ]);
      expect(ledger.count({ endpoint: TREE })).toBe(12);
      expect(slow.peakInFlight()).toBe(3);
    } finally {
      await slow.close();
    }
  });

  it("records restart baselines of pre-existing pods once, then counts growth from them", async () => {
    a.upsertApp(labelledApp("api", "c1"));
    const before = new Date("2026-01-01T09:00:00Z");
    const sim = {
      revision: PINNED,
      health: "Healthy" as const,
      at: SYNCED_AT,
      podCreatedAt: before,
      pods: 2,
    };
    a.syncApp("api", { ...sim, restarts: 2 });
    // The second pod has no restarts (Argo CD then leaves "Restart Count" out).
    const tree = (restartsA: number, restartsB: number) => {
      const nodes = structuredClone(treeOf(a));
      setRestarts(nodes[2]!, restartsA);
      setRestarts(nodes[3]!, restartsB);
      a.setTree("api", { nodes });
    };
    tree(2, 0);
    const cfg = config(singleInstance(a), ["c1"]);
    const first = await runProbe(cfg, ["c1"], [podCheck()]);
    expect(first.results.map((r) => [r.status, r.reason])).toEqual([
      ["pass", "2 pods ready in 1 app"],
    ]);
    // Zero counts are implied by the cluster's marker, which keeps the stored clock small.
    expect(first.clockPatch).toEqual({
      restartBaseline: { "c1/*": 0, "c1/api/api/api-3f2c1d0e9-a0": 2 },
    });

    tree(2, 1);
    const second = await runProbe(cfg, ["c1"], [podCheck()], { clock: first.clockPatch! });
    expect(second.results.map((r) => [r.status, r.reason])).toEqual([
      ["fail", "api: pod api-3f2c1d0e9-b1 restarted 1 time since the wave merged (max 0)"],
    ]);
    expect(second.clockPatch).toBeUndefined();

    tree(3, 0);
    const third = await runProbe(cfg, ["c1"], [podCheck()], { clock: first.clockPatch! });
    expect(third.results.map((r) => r.reason)).toEqual([
      "api: pod api-3f2c1d0e9-a0 restarted 1 time since the wave merged (max 0)",
    ]);
  });

  it("keeps every first-seen count, zeros too, while some tree of the cluster could not be read", async () => {
    const before = new Date("2026-01-01T09:00:00Z");
    for (const name of ["api", "web"]) {
      a.upsertApp(labelledApp(name, "c1"));
      a.syncApp(name, { revision: PINNED, health: "Healthy", at: SYNCED_AT, podCreatedAt: before });
    }
    a.failNext({ path: "/api/v1/applications/web/resource-tree", status: 500, times: 3 });
    const { results, clockPatch } = await runProbe(
      config(singleInstance(a), ["c1"]),
      ["c1"],
      [podCheck()],
    );
    expect(results.map((r) => r.status)).toEqual(["unknown"]);
    expect(clockPatch).toEqual({ restartBaseline: { "c1/api/api/api-3f2c1d0e9-a0": 0 } });
  });

  it("links every app result to the app in the Argo CD UI (or a custom link)", async () => {
    a.upsertApp(labelledApp("api", "c1", { namespace: "team-a" }));
    a.syncApp("api", { revision: PINNED, health: "Degraded", at: SYNCED_AT });
    const cfg = config(singleInstance(a), ["c1"]);
    const { results } = await runProbe(cfg, ["c1"], [SYNC_CHECK]);
    expect(results[0]?.url).toBe(`${a.url}/applications/team-a/api`);

    const probe = createArgoCdProbe({
      config: cfg,
      env: ENV,
      ledger: new CallLedger(),
      appUrl: (base, app) => `${base}/custom/${app.metadata.name}`,
    });
    const ctx: ProbeContext = {
      wave: wavePlan(["c1"], [SYNC_CHECK]),
      revision: PINNED,
      now: NOW,
      clock: { startedAt: MERGED_AT.toISOString(), failures: {} },
      isAncestor: async () => false,
    };
    const custom = await probe.run(ctx, [SYNC_CHECK]);
    expect(custom.results[0]?.url).toBe(`${a.url}/custom/api`);
  });

  it("retries 5xx and timeouts but not 401/403/404", async () => {
    deploy(a, "api", "c1");
    const cfg = config(singleInstance(a), ["c1"]);
    a.failNext({ path: "/api/v1/applications", status: 502, times: 3 });
    const failing = await runProbe(cfg, ["c1"], [SYNC_CHECK]);
    expect(failing.ledger.count({ endpoint: LIST, status: 502 })).toBe(3);

    a.failNext({ path: "/api/v1/applications", status: 403 });
    const forbidden = await runProbe(cfg, ["c1"], [SYNC_CHECK]);
    expect(forbidden.ledger.count({ endpoint: LIST })).toBe(1);

    a.failNext({ path: "/api/v1/applications/api/resource-tree", status: 404 });
    const missing = await runProbe(cfg, ["c1"], [podCheck()]);
    expect(missing.ledger.count({ endpoint: TREE })).toBe(1);
    expect(missing.results[0]?.status).toBe("unknown");
  });

  it("judges the apps when only the cluster list is refused, and logs that without the token", async () => {
    deploy(a, "api", "c1");
    a.failNext({ path: "/api/v1/clusters", status: 403 });
    const logger = capturingLogger();
    const probe = createArgoCdProbe({
      config: config(singleInstance(a), ["c1"]),
      env: ENV,
      logger,
      ledger: new CallLedger(),
    });
    const ctx: ProbeContext = {
      wave: wavePlan(["c1"], [SYNC_CHECK]),
      revision: PINNED,
      now: NOW,
      clock: { startedAt: MERGED_AT.toISOString(), failures: {} },
      isAncestor: async () => false,
    };
    const { results } = await probe.run(ctx, [SYNC_CHECK]);
    expect(results.map((r) => r.status)).toEqual(["pass"]);
    const warn = logger.lines.find((l) => l.level === "warn");
    expect(warn?.message).toBe("Argo CD cluster list unavailable; connection states not checked");
    expect(warn?.fields.error).toBe(
      "Argo CD refused GET /api/v1/clusters (HTTP 403); check the token in ARGOCD_TOKEN: injected failure",
    );
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
  });

  it("asks git about each distinct revision once per evaluation", async () => {
    for (const name of ["api", "web", "worker"]) deploy(a, name, "c1", CHILD);
    const asked: string[] = [];
    const probe = createArgoCdProbe({
      config: config(singleInstance(a), ["c1"]),
      env: ENV,
      ledger: new CallLedger(),
    });
    const ctx: ProbeContext = {
      wave: wavePlan(["c1"], [SYNC_CHECK]),
      revision: PINNED,
      mergeCommitSha: MERGE,
      now: NOW,
      clock: { startedAt: MERGED_AT.toISOString(), failures: {} },
      isAncestor: async (ancestor, descendant) => {
        asked.push(`${ancestor}..${descendant}`);
        return true;
      },
    };
    const { results } = await probe.run(ctx, [SYNC_CHECK]);
    expect(results.map((r) => r.reason)).toEqual(["3 apps Synced to 3f2c1d0, Healthy"]);
    expect(asked).toEqual([`${MERGE}..${CHILD}`]);
  });

  it("answers nothing and calls nothing for checks of other types", async () => {
    const ledger = new CallLedger();
    const probe = createArgoCdProbe({
      config: config(singleInstance(a), ["c1"]),
      env: ENV,
      ledger,
    });
    const ctx: ProbeContext = {
      wave: wavePlan(["c1"], []),
      revision: PINNED,
      now: NOW,
      clock: { startedAt: MERGED_AT.toISOString(), failures: {} },
      isAncestor: async () => false,
    };
    const other = {
      name: "error-rate",
      spec: {
        type: "prometheus",
        query: "up",
        condition: "< 1",
        onNoData: "fail",
        failureLimit: 1,
      },
    } as const;
    expect(await probe.run(ctx, [other])).toEqual({ results: [] });
    expect(probe.types).toEqual(["argocd-sync", "pod-health"]);
    expect(ledger.all()).toEqual([]);
  });
});
