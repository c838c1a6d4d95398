import { parse } from "yaml";
import { WavesConfig } from "../../src/config/waves.schema.js";

/** A parsed configuration from YAML text, as loadConfig would return it. */
export function config(text: string): WavesConfig {
  return WavesConfig.parse(parse(text));
}

export const SEED = `
waves:
  - name: canary
    clusters: [canary-cluster]
    waitTime: 30m
    healthChecks: [argocd-sync, pod-health]
  - name: wave-1
    clusters: [dev-cluster-1, dev-cluster-2]
    waitTime: 1h
  - name: wave-2
    clusters: [staging-cluster-1]
    waitTime: 2h
    requireApproval: true
`;
