import { describe, expect, it } from "vitest";
import { reconcileIntervalMs } from "../../src/app/reconcile-interval.js";

describe("WAVES_RECONCILE_INTERVAL", () => {
  it.each([
    [undefined, 30_000],
    ["", 30_000],
    ["500ms", 500],
    ["30s", 30_000],
    ["1m30s", 90_000],
  ])("%j → %i ms", (value, ms) => {
    expect(reconcileIntervalMs(value)).toBe(ms);
  });

  it.each(["30", "soon", "0s", "-1s"])("refuses %j naming the variable", (value) => {
    expect(() => reconcileIntervalMs(value)).toThrow(
      /WAVES_RECONCILE_INTERVAL=.*is not a duration/,
    );
  });
});
