/** The public health API: gates, probes, the bake clock and their types. */
export { type AdvanceGateInput, advanceGate, worstFirst, worstVerdict } from "./bake-clock.js";
export {
  type EvaluateWaveInput,
  evaluateWave,
  mergeClock,
  newGateClock,
} from "./evaluate-wave.js";
export { createHealthGate, type HealthGate, type HealthGateOptions } from "./health-gate.js";
export {
  createOutwardHttpClient,
  type OutwardHttpClient,
  type OutwardHttpClientOptions,
  OutwardHttpError,
  type OutwardHttpErrorKind,
} from "./http-client.js";
export {
  createPrometheusProbe,
  type PrometheusProbeOptions,
  prometheusGraphUrl,
} from "./prometheus/prometheus-probe.js";
export { escapePromQlString, renderQuery } from "./prometheus/promql-template.js";
export type {
  CheckResult,
  GateClock,
  GateOutcome,
  HealthProbe,
  ProbeContext,
  Verdict,
} from "./types.js";
