/** `WAVES_RECONCILE_INTERVAL`: a duration (`500ms`, `30s`, `1m`), default 30s. */
import { parseDuration } from "../config/duration.js";

export const DEFAULT_RECONCILE_INTERVAL_MS = 30_000;

/** Milliseconds; a value that is not a positive duration is refused with a clear error. */
export function reconcileIntervalMs(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_RECONCILE_INTERVAL_MS;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new Error(
      `WAVES_RECONCILE_INTERVAL=${JSON.stringify(value)} is not a duration: write it like 500ms, 30s or 1m`,
    );
  }
  return ms;
}
