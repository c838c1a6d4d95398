/** The fake Argo CD server: shapes as Argo CD's API describes them, auth, selectors, failures. */
import { Application as ArgoApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeArgoCd, startFakeArgoCd } from "../../src/fleet/argocd-server.js";
import { fakeApplication } from "../../src/fleet/argocd-simulator.js";

const TOKEN = "fake-argocd-token-123";
const REV = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const AT = new Date("2026-01-01T10:05:00Z");

async function get(fake: FakeArgoCd, path: string, token: string | null = TOKEN) {
  const response = await fetch(`${fake.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body: body as Record<string, unknown>, text };
}

function names(body: Record<string, unknown>): string[] {
  return (body.items as { metadata: { name: string } }[]).map((a) => a.metadata.name);
}

describe("startFakeArgoCd", () => {
  let fake: FakeArgoCd;
  beforeAll(async () => {
    fake = await startFakeArgoCd({ token: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.upsertApp(fakeApplication({ name: "api", labels: { cluster: "c1", team: "dev" } }));
    fake.upsertApp(fakeApplication({ name: "web", labels: { cluster: "c2" } }));
    fake.upsertApp(fakeApplication({ name: "db" }));
  });

  it("listens on a loopback port chosen by the OS", () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.url).not.toMatch(/:0$/);
  });

  it("answers 401 with a runtimeError without the bearer token", async () => {
    for (const token of [null, "wrong"]) {
      const { status, body } = await get(fake, "/api/v1/applications", token);
      expect(status).toBe(401);
      expect(body).toEqual({
        error: "no session information",
        code: 16,
        message: "no session information",
        details: [],
      });
    }
  });

  it("lists applications as v1alpha1ApplicationList, each valid against Argo CD's CRD schema", async () => {
    fake.syncApp("api", {
      revision: REV,
      health: "Degraded",
      podReason: "CrashLoopBackOff",
      restarts: 4,
      at: AT,
    });
    fake.syncApp("web", { revision: REV, health: "Progressing", phase: "Running", at: AT });
    const { status, body } = await get(fake, "/api/v1/applications");
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["items", "metadata"]);
    expect(names(body)).toEqual(["api", "web", "db"]);
    for (const item of body.items as object[]) {
      expect(() => new ArgoApplication(item as never).validate()).not.toThrow();
    }
    const api = (body.items as Record<string, Record<string, Record<string, unknown>>>[])[0]!;
    expect(api.status?.sync).toEqual({ status: "Synced", revision: REV });
    expect(api.status?.health).toEqual({
      status: "Degraded",
      lastTransitionTime: AT.toISOString(),
    });
    expect(api.status?.reconciledAt).toBe(AT.toISOString());
    expect(api.status?.operationState).toMatchObject({
      phase: "Succeeded",
      finishedAt: AT.toISOString(),
      operation: { sync: { revision: REV } },
      syncResult: { revision: REV },
    });
    const web = (body.items as Record<string, Record<string, Record<string, unknown>>>[])[1]!;
    expect(web.status?.sync).toEqual({ status: "OutOfSync", revision: REV });
    expect(web.status?.operationState).not.toHaveProperty("finishedAt");
  });

  it("filters with label selectors: =, ==, !=, in, notin, exists, !exists", async () => {
    const cases: [string, string[]][] = [
      ["cluster=c1", ["api"]],
      ["cluster==c2", ["web"]],
      ["cluster!=c1", ["web", "db"]],
      ["cluster in (c1,c2)", ["api", "web"]],
      ["cluster notin (c1)", ["web", "db"]],
      ["team", ["api"]],
      ["!team", ["web", "db"]],
      ["cluster=c1,team=ops", []],
    ];
    for (const [selector, expected] of cases) {
      const { body } = await get(fake, `/api/v1/applications?${new URLSearchParams({ selector })}`);
      expect([selector, names(body)]).toEqual([selector, expected]);
    }
    const bad = await get(fake, `/api/v1/applications?${new URLSearchParams({ selector: "=x" })}`);
    expect(bad.status).toBe(400);
  });

  it("serves one application, or 404 as Argo CD does", async () => {
    expect((await get(fake, "/api/v1/applications/api")).body.metadata).toEqual({
      name: "api",
      namespace: "argocd",
      labels: { cluster: "c1", team: "dev" },
    });
    const missing = await get(fake, "/api/v1/applications/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('applications.argoproj.io "nope" not found');
  });

  it("serves resource trees with Pod info items as Argo CD fills them", async () => {
    fake.syncApp("api", {
      revision: REV,
      health: "Degraded",
      podReason: "CrashLoopBackOff",
      restarts: 4,
      pods: 2,
      at: AT,
    });
    const { status, body } = await get(fake, "/api/v1/applications/api/resource-tree");
    expect(status).toBe(200);
    const nodes = body.nodes as Record<string, unknown>[];
    expect(nodes.map((n) => n.kind)).toEqual(["Deployment", "ReplicaSet", "Pod", "Pod", "Service"]);
    expect(nodes[2]).toMatchObject({
      kind: "Pod",
      version: "v1",
      namespace: "api",
      name: "api-3f2c1d0e9-a0",
      health: {
        status: "Degraded",
        message: "back-off 5m0s restarting failed container=api-3f2c1d0e9-a0 pod=api-3f2c1d0e9-a0",
      },
      info: [
        { name: "Status Reason", value: "CrashLoopBackOff" },
        { name: "Node", value: "node-1" },
        { name: "Containers", value: "0/1" },
        { name: "Restart Count", value: "4" },
      ],
      parentRefs: [{ kind: "ReplicaSet", name: "api-3f2c1d0e9" }],
      createdAt: AT.toISOString(),
    });
    expect((await get(fake, "/api/v1/applications/db/resource-tree")).body).toEqual({
      nodes: [],
      hosts: [],
    });
    expect((await get(fake, "/api/v1/applications/nope/resource-tree")).status).toBe(404);
  });

  it("lists clusters with connection states", async () => {
    fake.setCluster("https://10.0.0.1:6443", "Failed", {
      name: "c1",
      message: "dial tcp: i/o timeout",
    });
    const { body } = await get(fake, "/api/v1/clusters");
    expect(body.items).toEqual([
      {
        server: "https://10.0.0.1:6443",
        name: "c1",
        connectionState: {
          status: "Failed",
          message: "dial tcp: i/o timeout",
          attemptedAt: "1970-01-01T00:00:00.000Z",
        },
        info: {
          connectionState: {
            status: "Failed",
            message: "dial tcp: i/o timeout",
            attemptedAt: "1970-01-01T00:00:00.000Z",
          },
          applicationsCount: 0,
          serverVersion: "1.30",
        },
      },
    ]);
  });

  it("injects failures by path, count and body, then recovers", async () => {
    fake.failNext({ path: "/api/v1/clusters", status: 503, times: 2 });
    fake.failNext({ status: 200, body: "{oops" });
    expect((await get(fake, "/api/v1/applications")).text).toBe("{oops");
    expect((await get(fake, "/api/v1/clusters")).status).toBe(503);
    expect((await get(fake, "/api/v1/clusters")).status).toBe(503);
    expect((await get(fake, "/api/v1/clusters")).status).toBe(200);
    expect((await get(fake, "/api/v1/applications")).status).toBe(200);
  });

  it("hangs when told to, and close() still ends promptly", async () => {
    const hanging = await startFakeArgoCd();
    hanging.failNext({ hang: true });
    const request = fetch(`${hanging.url}/api/v1/applications`).then(
      () => "answered",
      () => "aborted",
    );
    const raced = await Promise.race([
      request,
      new Promise((r) => setTimeout(() => r("waiting"), 100)),
    ]);
    expect(raced).toBe("waiting");
    const started = Date.now();
    await hanging.close();
    expect(await request).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("adds the configured latency to every answer", async () => {
    const slow = await startFakeArgoCd({ latencyMs: 60 });
    try {
      const started = performance.now();
      await fetch(`${slow.url}/api/v1/clusters`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.close();
    }
  });

  it("counts requests by path prefix, refuses writes and unknown apps for syncApp", async () => {
    await get(fake, "/api/v1/applications");
    await get(fake, "/api/v1/applications/api/resource-tree");
    await get(fake, "/api/v1/clusters");
    expect(fake.requestCount()).toBe(3);
    expect(fake.requestCount("/api/v1/applications")).toBe(2);
    expect(fake.requestCount("/api/v1/clusters")).toBe(1);
    const post = await fetch(`${fake.url}/api/v1/applications`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: "{}",
    });
    expect(post.status).toBe(405);
    expect(() => fake.syncApp("ghost", { revision: REV, health: "Healthy", at: AT })).toThrow(
      "fake Argo CD: no application named ghost; upsertApp it first",
    );
    fake.removeApp("api");
    expect(fake.getApp("api")).toBeUndefined();
    expect(names((await get(fake, "/api/v1/applications")).body)).toEqual(["web", "db"]);
  });
});
