export { checkReferences } from "./check-references.js";
export type { ConfigError, ConfigIssue, ConfigPath } from "./config-error.js";
export { formatConfigErrors, formatPath, sortConfigErrors } from "./config-error.js";
export { type DocExample, renderConfigurationDoc } from "./configuration-doc.js";
export { formatDuration, parseDuration } from "./duration.js";
export { wavesJsonSchema } from "./json-schema.js";
export type { LoadOptions, LoadResult } from "./load-config.js";
export {
  DEFAULT_CONFIG_FILE,
  loadConfig,
  MAX_ALIAS_COUNT,
  MAX_CONFIG_BYTES,
  readConfigFile,
} from "./load-config.js";
export { clusterNameProblem, pathTemplateProblem } from "./path-template.js";
export { matchesSelector, resolveWaveClusters } from "./resolve-wave-clusters.js";
export * from "./waves.schema.js";
