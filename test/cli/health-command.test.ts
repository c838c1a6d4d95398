/**
 * `waves health` against the fake Argo CD and the real Prometheus (data backfilled half a
 * minute ago, since the command evaluates at the wall clock).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/cli-io.js";
import { formatHealthTable, parseHealthArgs, run } from "../../src/cli/health-command.js";
import { type FakeArgoCd, startFakeArgoCd } from "../../src/fleet/argocd-server.js";
import { fakeApplication } from "../../src/fleet/argocd-simulator.js";
import { startPrometheus, type TestPrometheus } from "../support/prometheus.js";

const TOKEN = "argocd-test-token-0123456789";
const REV = "3f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";
const OLD = "0000000e9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e";

let argo: FakeArgoCd;
let prom: TestPrometheus;
let dir: string;

function deploy(cluster: string, revision: string) {
  const name = `api-${cluster}`;
  argo.upsertApp(fakeApplication({ name, labels: { cluster } }));
  argo.syncApp(name, { revision, health: "Healthy", at: new Date(Date.now() - 60_000) });
}

beforeAll(async () => {
  const t = Math.floor(Date.now() / 1000) - 30;
  [argo, prom] = await Promise.all([
    startFakeArgoCd({ token: TOKEN }),
    startPrometheus({
      backfill: [
        {
          name: "error_rate",
          samples: [
            { labels: { cluster: "good-1" }, value: 0.002, t },
            { labels: { cluster: "good-2" }, value: 0.001, t },
            { labels: { cluster: "bad-1" }, value: 0.5, t },
            { labels: { cluster: "old-1" }, value: 0.001, t },
          ],
        },
      ],
    }),
  ]);
  deploy("good-1", REV);
  deploy("good-2", REV);
  deploy("bad-1", REV);
  deploy("old-1", OLD);
  dir = await mkdtemp(path.join(tmpdir(), "waves-health-cli-"));
  await writeFile(
    path.join(dir, "waves.yml"),
    `argocd:
  url: ${argo.url}
  tokenEnv: ARGOCD_TOKEN
prometheus:
  url: ${prom.url}
healthChecks:
  error-rate:
    type: prometheus
    query: error_rate{cluster="{cluster}"}
    condition: "< 0.01"
    failureLimit: 3
defaults:
  healthChecks: [argocd-sync, error-rate]
waves:
  - name: canary
    clusters: [good-1]
    waitTime: 30m
  - name: wave-1
    clusters: [good-2, bad-1]
  - name: wave-2
    clusters: [old-1]
    healthChecks: [argocd-sync, pod-health, error-rate]
`,
  );
});

afterAll(async () => {
  await Promise.all([argo?.close(), prom?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function health(args: string[], env: NodeJS.ProcessEnv = { ARGOCD_TOKEN: TOKEN }) {
  const io = captureIo({ cwd: dir, env });
  const code = await run(["--config", "waves.yml", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("waves health", () => {
  it("passes a healthy wave (exit 0) and says the gate would still bake", async () => {
    const { code, out, err } = await health(["--wave", "canary", "--revision", REV]);
    expect(err).toBe("");
    expect(out).toBe(
      [
        "CLUSTER  CHECK        VERDICT  REASON",
        "good-1   argocd-sync  pass     api-good-1: Synced to 3f2c1d0, Healthy",
        'good-1   error-rate   pass     0.002 for error_rate{cluster="good-1"} (want < 0.01)',
        "",
        "wave canary @ 3f2c1d0e9b8a: pass — all 2 checks on 1 cluster passed (the gate would then bake 30m)",
        "",
      ].join("\n"),
    );
    expect(code).toBe(0);
  });

  it("fails a wave with a metric over its threshold at once, failureLimit aside (exit 1)", async () => {
    const { code, out } = await health(["--wave", "wave-1", "--revision", REV]);
    // One block per cluster, in the wave's cluster order.
    expect(out.split("\n").slice(0, 5)).toEqual([
      "CLUSTER  CHECK        VERDICT  REASON",
      "good-2   argocd-sync  pass     api-good-2: Synced to 3f2c1d0, Healthy",
      'good-2   error-rate   pass     0.001 for error_rate{cluster="good-2"} (want < 0.01)',
      "bad-1    argocd-sync  pass     api-bad-1: Synced to 3f2c1d0, Healthy",
      'bad-1    error-rate   fail     0.5 > 0.01 for error_rate{cluster="bad-1"} (want < 0.01)',
    ]);
    expect(out).toContain(
      'wave wave-1 @ 3f2c1d0e9b8a: fail — error-rate on bad-1: 0.5 > 0.01 for error_rate{cluster="bad-1"} (want < 0.01)',
    );
    expect(code).toBe(1);
  });

  it("is pending (exit 3) while a cluster still runs the old revision", async () => {
    const { code, out } = await health(["--wave", "wave-2", "--revision", REV, "--json"]);
    const parsed = JSON.parse(out) as {
      status: string;
      results: { check: string; cluster: string; status: string }[];
    };
    expect(parsed.status).toBe("pending");
    expect(parsed.results.map((r) => [r.check, r.cluster, r.status])).toEqual([
      ["argocd-sync", "old-1", "pending"],
      // Its pods are the old revision's: pod-health waits too.
      ["pod-health", "old-1", "pending"],
      ["error-rate", "old-1", "pass"],
    ]);
    expect(code).toBe(3);
  });

  it("accepts an app synced to the promotion's merge commit", async () => {
    const { code } = await health(["--wave", "wave-2", "--revision", REV, "--merge-commit", OLD]);
    expect(code).toBe(0);
  });

  it("is unknown (exit 3) without the Argo CD token, and never prints a token", async () => {
    const { code, out } = await health(["--wave", "canary", "--revision", REV], {});
    expect(out).toContain("good-1   argocd-sync  unknown");
    expect(out).toContain("ARGOCD_TOKEN");
    expect(code).toBe(3);
    const wrong = await health(["--wave", "canary", "--revision", REV], {
      ARGOCD_TOKEN: "wrong-token-abcdef123456",
    });
    expect(wrong.code).toBe(3);
    expect(wrong.out).not.toContain("wrong-token-abcdef123456");
  });

  it("explains usage and configuration errors (exit 2)", async () => {
    expect((await health(["--revision", REV])).err).toContain("waves health: --wave is required");
    const unknown = await health(["--wave", "prod", "--revision", REV]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      "waves health: no wave named 'prod' with clusters in waves.yml (waves: canary, wave-1, wave-2)\n",
    );
    const io = captureIo({ cwd: dir, env: {} });
    expect(await run(["--wave", "canary", "--revision", REV, "--config", "nope.yml"], io)).toBe(2);
    expect(io.stderr()).toBe("waves health: cannot read nope.yml: no such file\n");
    await writeFile(path.join(dir, "broken.yml"), "waves: 3\n");
    const broken = captureIo({ cwd: dir, env: {} });
    expect(
      await run(["--wave", "canary", "--revision", REV, "--config", "broken.yml"], broken),
    ).toBe(2);
    expect(broken.stderr()).toContain(
      "waves health: broken.yml is not valid; run 'waves validate broken.yml'",
    );
  });

  it("parses options", () => {
    expect(parseHealthArgs(["--wave=canary", "--revision", "abc", "--json"])).toEqual({
      ok: true,
      args: { wave: "canary", revision: "abc", config: ".github/waves.yml", json: true },
    });
    expect(parseHealthArgs(["--wave", "a", "--revision"])).toEqual({
      ok: false,
      error: "--revision needs a value",
    });
    expect(parseHealthArgs(["--bogus"])).toEqual({ ok: false, error: "unknown option '--bogus'" });
    expect(parseHealthArgs(["--help"])).toEqual({ ok: false });
  });

  it("formats a table with aligned columns and one-line reasons", () => {
    expect(
      formatHealthTable([
        { check: "argocd-sync", cluster: "c", status: "fail", reason: "a\nb" },
        { check: "x", cluster: "cluster-long", status: "pass", reason: "ok" },
      ]),
    ).toBe(
      [
        "CLUSTER       CHECK        VERDICT  REASON",
        "c             argocd-sync  fail     a b",
        "cluster-long  x            pass     ok",
      ].join("\n"),
    );
  });
});
