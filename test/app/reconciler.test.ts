import { afterEach, describe, expect, it } from "vitest";
import { RepoQueue } from "../../src/app/repo-queue.js";
import { encodeState } from "../../src/rollout/index.js";
import { promotionMeta } from "../rollout/rollout-builders.js";
import {
  assertStrictMocks,
  github,
  mockAccessToken,
  mockAppAuthenticated,
  mockInstallationRepos,
  mockInstallations,
  mockIssuesWithLabel,
} from "../support/github-mocks.js";
import { startTestApp } from "./app-harness.js";

describe("reconciler", () => {
  afterEach(() => assertStrictMocks());

  it("discovers repos with rollout PRs in every installation, reconciles each, drops inactive ones on the tick", async () => {
    let active = true;
    const app = await startTestApp({
      onCall: async () => {
        if (!active) throw Object.assign(new Error("unused"), { skip: true });
      },
    });
    mockInstallations([7]);
    mockAccessToken(7, "ghs_discoverytoken0123456789abcdef");
    mockInstallationRepos(["fleet", "docs", "infra"]);
    mockIssuesWithLabel("fleet", "waves:promotion", 1);
    mockIssuesWithLabel("docs", "waves:promotion", 0);
    mockIssuesWithLabel("docs", "waves:revert", 0);
    mockIssuesWithLabel("infra", "waves:promotion", 0);
    mockIssuesWithLabel("infra", "waves:revert", 2);
    mockAppAuthenticated("waves");
    const found = await app.reconciler.discover();
    expect(found.map((r) => `${r.owner}/${r.name}#${r.installationId}`)).toEqual([
      "acme/fleet#7",
      "acme/infra#7",
    ]);
    expect(app.calls.map((c) => [c.method, c.repo]).sort()).toEqual([
      ["reconcile", "acme/fleet"],
      ["reconcile", "acme/infra"],
    ]);
    expect(app.reconciler.activeCount).toBe(2);
    active = false;
    await app.reconciler.tick();
    // Failed reconciles keep the repos for the next tick.
    expect(app.reconciler.activeCount).toBe(2);
  });

  it("discovery finds rollouts whose PRs live in a GitOps repo and remembers their source", async () => {
    const app = await startTestApp();
    mockInstallations([7]);
    mockAccessToken(7, "ghs_discoverytoken0123456789abcdef");
    mockInstallationRepos(["fleet", "gitops"]);
    mockIssuesWithLabel("fleet", "waves:promotion", 0);
    mockIssuesWithLabel("fleet", "waves:revert", 0);
    const meta = promotionMeta("canary");
    github()
      .get("/repos/acme/gitops/issues")
      .query((q) => q.labels === "waves:promotion" && q.state === "all" && q.per_page === "1")
      .reply(200, [
        {
          number: 3,
          title: "x",
          body: `Promotion\n\n${encodeState({ ...meta, source: { ...meta.source, repository: "acme/fleet" } })}`,
        },
      ]);
    mockAppAuthenticated("waves");
    const found = await app.reconciler.discover();
    const gitops = {
      owner: "acme",
      name: "gitops",
      installationId: 7,
      source: { owner: "acme", name: "fleet" },
    };
    expect(found).toEqual([gitops]);
    // The tick's environment: source acme/fleet, target acme/gitops, with no reads to find out.
    expect(app.calls.map((c) => [c.method, c.repo])).toEqual([["reconcile", "acme/fleet"]]);
    expect(app.reconciler.trackedRepos()).toEqual([gitops]);
  });

  it("a reconcile that reports inactive untracks the repo", async () => {
    const app = await startTestApp({ active: false });
    app.reconciler.track({ owner: "acme", name: "fleet", installationId: 7 });
    // Start-up discovery has not run yet, so the tick tries it first.
    mockInstallations([]);
    mockAppAuthenticated("waves");
    await app.reconciler.tick();
    expect(app.calls.map((c) => c.method)).toEqual(["reconcile"]);
    expect(app.reconciler.activeCount).toBe(0);
  });

  it("serialises work per repository and runs different repositories in parallel", async () => {
    const queue = new RepoQueue();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.run("a", async () => {
      order.push("a1 start");
      await gate;
      order.push("a1 end");
    });
    const second = queue.run("a", async () => {
      order.push("a2");
    });
    const other = queue.run("b", async () => {
      order.push("b");
    });
    await other;
    expect(order).toEqual(["a1 start", "b"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["a1 start", "b", "a1 end", "a2"]);
    await queue
      .run("a", async () => {
        throw new Error("boom");
      })
      .catch(() => undefined);
    expect(await queue.run("a", async () => "still runs")).toBe("still runs");
  });
});

describe("reconciler retries", () => {
  it("keeps at most MAX_PENDING_RETRIES, dropping the oldest with a warning", async () => {
    const { Reconciler, MAX_PENDING_RETRIES } = await import("../../src/app/reconciler.js");
    const { capturingLogger } = await import("../../src/util/logger.js");
    const logger = capturingLogger();
    const reconciler = new Reconciler<unknown>({
      app: { auth: async () => ({}) as never },
      engine: {
        handlePush: async () => undefined,
        handleComment: async () => undefined,
        handleCheckRunEvent: async () => undefined,
        reconcile: async () => ({ active: false }),
      },
      makeEnv: async () => ({ error: "unused" }),
      logger,
      intervalMs: 60_000,
    });
    const repo = { owner: "acme", name: "fleet", installationId: 7 };
    for (let i = 0; i <= MAX_PENDING_RETRIES; i++) {
      reconciler.retryLater(`push-${i}`, repo, async () => undefined, `push ${i}`);
    }
    expect(reconciler.pendingRetries).toBe(MAX_PENDING_RETRIES);
    const dropped = logger.lines.filter((l) => l.message.startsWith("too many retries waiting"));
    expect(dropped.map((l) => [l.level, l.fields.work])).toEqual([["warn", "push 0"]]);
  });
});
