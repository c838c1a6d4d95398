/**
 * The Argo CD gates, one scenario per row, driven through the fake Argo CD server. Every row
 * asserts the exact verdict and the exact reason of every result.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeArgoCd, startFakeArgoCd } from "../../../src/fleet/argocd-server.js";
import { failureRows } from "./failure-rows.js";
import { podRows } from "./pod-rows.js";
import { config, runProbe, SYNC_CHECK, singleInstance, TOKEN } from "./probe-harness.js";
import { selectionRows } from "./selection-rows.js";
import { syncRows } from "./sync-rows.js";

const rows = [...syncRows, ...selectionRows, ...podRows, ...failureRows];

describe("Argo CD gate scenarios", () => {
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

  it("has at least 30 scenarios", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)("$name", async (row) => {
    row.setup?.(a, b);
    const clusters = row.clusters ?? ["c1"];
    const argocd = row.argocd ? row.argocd(a, b) : singleInstance(a);
    const cfg = config(argocd, clusters, row.clusterConfig ? { clusters: row.clusterConfig } : {});
    const { results } = await runProbe(cfg, clusters, row.checks ?? [SYNC_CHECK], row.run);
    const got = results.map((r) => [r.check, r.cluster, r.status, r.reason]);
    expect(got).toEqual(row.expect);
    for (const result of results) expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
