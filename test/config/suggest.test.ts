import { describe, expect, it } from "vitest";
import { suggest } from "../../src/config/suggest.js";

describe("suggest", () => {
  it.each([
    ["waittime", "waitTime"],
    ["wait_time", "waitTime"],
    ["healthcheck", "healthChecks"],
    ["requireApprovel", "requireApproval"],
    ["clustrs", "clusters"],
    ["banana", undefined],
    ["x", undefined],
  ])("%s → %s", (word, expected) => {
    expect(suggest(word)).toBe(expected);
  });
});
