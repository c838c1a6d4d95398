import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/config/duration.js";

describe("durations", () => {
  it.each([
    ["500ms", 500],
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["1h30m", 5_400_000],
    ["2d", 172_800_000],
    ["1m30s500ms", 90_500],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "1 hour", "30", "m", "1.5h", "-5m", "1h 30m"])("'%s' is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [5_400_000, "1h30m"],
    [500, "500ms"],
    [0, "0s"],
    [90_500, "1m30s500ms"],
  ])("%d ms renders as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
