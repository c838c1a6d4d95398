/** The rollout engine's public API, as the app and the demo call it. */
export { type Authorization, authorize } from "./authorize.js";
export {
  type CheckRunInput,
  type CommandOutcome,
  type CommentInput,
  handleCheckRunEvent,
  handleComment,
} from "./commands.js";
export { decide, planOf } from "./decide.js";
export { type CommandDecision, decideCommand } from "./decide-command.js";
export { deriveState, groupRollouts } from "./derive-state.js";
export { handlePush, type PushInput, type PushOutcome, reconcile } from "./engine.js";
export { type ParsedCommand, parseCommand } from "./parse-command.js";
export { renderTemplate, templatesDir } from "./render-template.js";
export { gateSignature, isFinished, rolloutPhase } from "./rollout-phase.js";
export { decodeGate, decodeState, encodeGate, encodeState } from "./state-codec.js";
export type { ReconcileReport, RolloutEnv } from "./steps/context.js";
export * from "./types.js";
