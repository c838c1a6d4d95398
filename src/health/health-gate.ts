/**
 * The health gate as the rollout uses it: the Argo CD and Prometheus probes wired from the
 * configuration, behind one function that evaluates a wave once.
 */
import type { WavesConfig } from "../config/waves.schema.js";
import type { Logger } from "../util/logger.js";
import { createArgoCdProbe } from "./argocd/argocd-probe.js";
import { type EvaluateWaveInput, evaluateWave } from "./evaluate-wave.js";
import { createPrometheusProbe } from "./prometheus/prometheus-probe.js";
import type { GateOutcome, HealthProbe } from "./types.js";

export type HealthGate = (input: Omit<EvaluateWaveInput, "probes">) => Promise<GateOutcome>;

export interface HealthGateOptions {
  config: WavesConfig;
  env: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Evaluate Prometheus queries at the wall clock rather than the gate's `now`. */
  clockTimeForQuery?: boolean;
  /** Extra probes (custom check types), consulted after the built-in ones. */
  extraProbes?: HealthProbe[];
}

export function createHealthGate(options: HealthGateOptions): HealthGate {
  const { config, env, logger } = options;
  const probes: HealthProbe[] = [
    createArgoCdProbe({ config, env, ...(logger ? { logger } : {}) }),
    createPrometheusProbe({
      config,
      env,
      ...(logger ? { logger } : {}),
      ...(options.clockTimeForQuery ? { clockTimeForQuery: true } : {}),
    }),
    ...(options.extraProbes ?? []),
  ];
  return (input) => evaluateWave({ ...input, probes });
}
