import { afterEach, describe, expect, it } from "vitest";
import { truncateText } from "../../../src/scm/github/check-run-limits.js";
import { GitHubScm } from "../../../src/scm/github/github-scm.js";
import { GitHubScmCache } from "../../../src/scm/github/github-scm-cache.js";
import type { CheckRunSpec } from "../../../src/scm/port.js";
import { fakeCheckout } from "../../support/fake-checkout.js";
import {
  assertStrictMocks,
  mockCreateCheckRun,
  mockListCheckRuns,
  mockListCheckRunsNotModified,
  mockUpdateCheckRun,
  OWNER,
  REPO,
} from "../../support/github-mocks.js";
import { tokenOctokit } from "../../support/test-octokit.js";

const SHA = "e".repeat(40);

function scm(cache = new GitHubScmCache()) {
  return new GitHubScm({
    octokit: tokenOctokit(),
    repo: { owner: OWNER, name: REPO },
    openCheckout: fakeCheckout().open,
    cache,
    env: {},
  });
}

const base: CheckRunSpec = {
  name: "waves / canary",
  headSha: SHA,
  status: "in_progress",
  externalId: "r1/canary",
  title: "Baking",
  summary: "ok",
};

describe("check runs", () => {
  afterEach(() => assertStrictMocks());

  it("creates the run when none exists by name on the commit, then updates it by id without a lookup", async () => {
    const cache = new GitHubScmCache();
    const adapter = scm(cache);
    mockListCheckRuns(SHA, base.name, []);
    mockCreateCheckRun(
      { id: 41, name: base.name, headSha: SHA },
      (b) =>
        b.head_sha === SHA &&
        b.status === "in_progress" &&
        !("conclusion" in b) &&
        b.external_id === "r1/canary",
    );
    expect((await adapter.setCheckRun(base)).id).toBe(41);
    mockUpdateCheckRun(
      { id: 41, name: base.name, headSha: SHA, status: "completed", conclusion: "success" },
      (b) => b.status === "completed" && b.conclusion === "success",
    );
    const done = await adapter.setCheckRun({ ...base, status: "completed", conclusion: "success" });
    expect(done).toMatchObject({ id: 41, status: "completed", conclusion: "success" });
  });

  it("after a restart finds the existing run by name and updates it (no duplicate)", async () => {
    mockListCheckRuns(SHA, base.name, [{ id: 50, name: base.name, headSha: SHA }]);
    mockUpdateCheckRun({ id: 50, name: base.name, headSha: SHA });
    expect((await scm().setCheckRun(base)).id).toBe(50);
  });

  it("keeps output within 65,535 characters and at most 3 actions; action_required gets a details URL", async () => {
    const huge = "😀".repeat(40_000);
    mockListCheckRuns(SHA, base.name, []);
    let sent: Record<string, unknown> = {};
    mockCreateCheckRun({ id: 1, name: base.name, headSha: SHA }, (b) => {
      sent = b;
      return true;
    });
    await scm().setCheckRun({
      ...base,
      status: "completed",
      conclusion: "action_required",
      summary: huge,
      text: huge,
      actions: Array.from({ length: 5 }, (_, i) => ({
        label: `Approve wave number ${i} now please`,
        identifier: `approve:${"x".repeat(60)}`,
        description: "d".repeat(80),
      })),
    });
    const output = sent.output as { summary: string; text: string };
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.text.length).toBeLessThanOrEqual(65_535);
    expect(output.summary.endsWith("(truncated)")).toBe(true);
    const actions = sent.actions as { label: string; identifier: string; description: string }[];
    expect(actions).toHaveLength(3);
    expect(
      actions.every(
        (a) => a.label.length <= 20 && a.identifier.length <= 40 && a.description.length <= 40,
      ),
    ).toBe(true);
    expect(sent.details_url).toBe(`https://github.com/${OWNER}/${REPO}`);
  });

  it("looks a run up again with If-None-Match; 304 answers from the remembered listing", async () => {
    const adapter = scm();
    mockListCheckRuns(
      SHA,
      base.name,
      [{ id: 60, name: base.name, headSha: SHA, summary: "clock" }],
      '"c1"',
    );
    const first = await adapter.findCheckRun(base.name, SHA);
    mockListCheckRunsNotModified(SHA, base.name, '"c1"');
    expect(await adapter.findCheckRun(base.name, SHA)).toEqual(first);
    expect(first).toMatchObject({ id: 60, summary: "clock" });
  });

  it("never cuts a surrogate pair in half", () => {
    expect(truncateText("a😀😀", 2, "")).toBe("a");
    expect(truncateText("a😀😀", 3, "")).toBe("a😀");
    expect(truncateText("short", 10)).toBe("short");
  });
});
