import type { HealthCheck, Wave, WavesConfig } from "../config/waves.schema.js";
import { PlanError } from "./plan-error.js";
import type { PlannedCheck } from "./types.js";

const BUILTINS: Record<string, HealthCheck> = {
  "argocd-sync": { type: "argocd-sync", failureLimit: 1 },
  "pod-health": { type: "pod-health", maxRestarts: 0, failureLimit: 1 },
};

/**
 * A wave's checks by name: its own list or the defaults; a name under `healthChecks:` wins over
 * a built-in of the same name, so users can tune `pod-health` itself.
 */
export function resolveChecks(config: WavesConfig, wave: Wave): PlannedCheck[] {
  const names = wave.healthChecks ?? config.defaults.healthChecks;
  return [...new Set(names)].map((name) => {
    const spec = config.healthChecks[name] ?? BUILTINS[name];
    if (!spec) {
      const known = [...Object.keys(BUILTINS), ...Object.keys(config.healthChecks)].join(", ");
      throw new PlanError(
        `wave '${wave.name}' uses the health check '${name}', which is neither built in nor under healthChecks: (known: ${known})`,
        { wave: wave.name },
      );
    }
    return { name, spec: structuredClone(spec) };
  });
}
