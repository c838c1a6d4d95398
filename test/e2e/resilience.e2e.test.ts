/**
 * Black-box: the app SIGKILLed mid-bake resumes after a restart without a second PR; every
 * webhook delivered twice gives the same outcome; the app runs with Redis (REDIS_URL).
 */
import { execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoDuplicatePrs, expectNoSecrets } from "./e2e-assertions.js";
import { E2eStack, REPO } from "./e2e-stack.js";
import { awaitWavesMerged, shortOf } from "./e2e-steps.js";
import { ensureBuilt } from "./ensure-built.js";

const exec = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The bake clock's start, kept in the wave check run's output. */
function startedAt(run: {
  output: { summary: string | null; text: string | null };
}): string | undefined {
  const text = `${run.output.summary ?? ""}\n${run.output.text ?? ""}`;
  return /<!-- waves:gate \{"startedAt":"([^"]+)"/.exec(text)?.[1];
}

describe.concurrent("e2e: resilience", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  it("SIGKILL mid-bake, restart: the rollout resumes with its bake clock and opens no second PR", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      waves: [
        { name: "canary", clusters: ["canary-1"], waitTime: "3s" },
        { name: "wave-1", clusters: ["dev-1", "dev-2"] },
        { name: "wave-2", clusters: ["prod-1"] },
      ],
    });
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 7\n" },
      title: "Resume me",
      author: "alice",
    });
    const baking = await s.until("canary baking", () =>
      s.github
        .checkRunsOf(REPO)
        .find(
          (r) =>
            r.name === "waves / canary" && r.status === "in_progress" && startedAt(r) !== undefined,
        ),
    );
    const clockStart = startedAt(baking);
    expect(clockStart).toBeDefined();
    await s.killApp();
    expect(s.github.pullsOf(REPO).some((p) => p.head.endsWith("/wave-1"))).toBe(false);
    await s.startApp();
    await awaitWavesMerged(s, sha);
    expectNoDuplicatePrs(s);
    const canary = s.github.checkRunsOf(REPO).filter((r) => r.name === "waves / canary");
    expect(canary).toHaveLength(1);
    // The bake clock survived the restart: it is read back from the check run, not restarted.
    expect(canary[0] && startedAt(canary[0])).toBe(clockStart);
    expect(canary[0]?.conclusion).toBe("success");
    expectNoSecrets(s);
  }, 120_000);

  it("GitHub answers 502 for a while mid-rollout: the next reconciles finish the steps, nothing doubled", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start({
      waves: [
        { name: "canary", clusters: ["canary-1"] },
        { name: "wave-1", clusters: ["dev-1"] },
      ],
    });
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 12\n" },
      title: "Through an outage",
      author: "alice",
    });
    await s.until("canary PR opened", () =>
      s.github.pullsOf(REPO).find((p) => p.head === `waves/${shortOf(sha)}/canary`),
    );
    s.github.outage = 502;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    s.github.outage = undefined;
    expect(s.github.requests.some((r) => r.status === 502)).toBe(true);
    await awaitWavesMerged(s, sha, ["canary", "wave-1"]);
    expectNoDuplicatePrs(s);
    for (const wave of ["canary", "wave-1"]) {
      expect(s.github.checkRunsOf(REPO).filter((r) => r.name === `waves / ${wave}`)).toHaveLength(
        1,
      );
    }
    expectNoSecrets(s);
  }, 120_000);

  it("every webhook delivered twice: the same single rollout, one PR per wave", async ({
    onTestFinished,
  }) => {
    const s = await E2eStack.start();
    onTestFinished(() => s.stop());
    s.github.webhooks.duplicate = true;
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 8\n" },
      title: "Twice",
      author: "alice",
    });
    await awaitWavesMerged(s, sha);
    await s.github.webhooks.idle();
    expect(s.github.webhooks.deliveries.filter((d) => d.attempt === 2).length).toBeGreaterThan(0);
    expectNoDuplicatePrs(s);
    for (const wave of ["canary", "wave-1", "wave-2"]) {
      expect(s.github.checkRunsOf(REPO).filter((r) => r.name === `waves / ${wave}`)).toHaveLength(
        1,
      );
    }
  }, 120_000);

  it("runs with REDIS_URL (Probot's shared throttling on a real redis-server)", async ({
    onTestFinished,
  }) => {
    const port = await freePort();
    const redis = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    onTestFinished(() => {
      redis.kill("SIGKILL");
    });
    const s = await E2eStack.start({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    onTestFinished(() => s.stop());
    const { sha } = await s.github.mergeChange(REPO, {
      files: { "base/app.yaml": "replicas: 9\n" },
      title: "Redis",
      author: "alice",
    });
    await s.until("canary PR opened", () =>
      s.github.pullsOf(REPO).find((p) => p.head === `waves/${shortOf(sha)}/canary`),
    );
    const health = await fetch(`${s.appUrl}/healthz`);
    expect(health.status).toBe(200);
    // Probot's throttling keeps its shared state in Redis (Bottleneck keys).
    const { stdout } = await exec("redis-cli", ["-p", String(port), "--scan"]);
    expect(stdout.split("\n").some((key) => key.startsWith("b_"))).toBe(true);
  }, 120_000);
});
