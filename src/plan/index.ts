export { chooseCanary } from "./choose-canary.js";
export { PlanError } from "./plan-error.js";
export { type PlanInput, planRollout } from "./plan-rollout.js";
export { promotionFilePath, promotionPathMatcher } from "./promotion-paths.js";
export { resolveChecks } from "./resolve-checks.js";
export { shouldStartRollout, type TriggerDecision } from "./trigger.js";
export type * from "./types.js";
