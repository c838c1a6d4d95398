/**
 * loadConfig step: reads `.github/waves.yml` from the source repository and validates it. An
 * invalid file on a pushed commit gets a failing `waves / config` check with an annotation at
 * every offending line, and no rollout.
 */

import type { ConfigError } from "../../config/config-error.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../../config/load-config.js";
import type { WavesConfig } from "../../config/waves.schema.js";
import type { CheckAnnotation } from "../../scm/port.js";
import { safeUserText } from "../../util/redact.js";
import type { TemplateOverrides } from "../render-template.js";
import { overridePath } from "../render-template.js";
import { CONFIG_CHECK } from "../types.js";
import type { RolloutEnv } from "./context.js";

export type ConfigLoad =
  | { ok: true; config: WavesConfig }
  | { ok: false; missing: true; reason: string }
  | { ok: false; missing: false; reason: string; errors: ConfigError[] };

export async function readRolloutConfig(env: RolloutEnv, ref: string): Promise<ConfigLoad> {
  const text = await env.source.readFile(ref, DEFAULT_CONFIG_FILE);
  if (text === undefined) {
    return { ok: false, missing: true, reason: `no ${DEFAULT_CONFIG_FILE} at ${ref}` };
  }
  const result = loadConfig(text, DEFAULT_CONFIG_FILE);
  if (result.ok) return { ok: true, config: result.config };
  const first = result.errors[0];
  return {
    ok: false,
    missing: false,
    reason: `${DEFAULT_CONFIG_FILE} is invalid (${result.errors.length} error(s)${first ? `; first at line ${first.line}: ${first.message}` : ""})`,
    errors: result.errors,
  };
}

function annotationOf(error: ConfigError): CheckAnnotation {
  const oneLine = error.line === error.endLine;
  return {
    path: error.file,
    startLine: error.line,
    endLine: Math.max(error.line, error.endLine),
    ...(oneLine
      ? { startColumn: error.column, endColumn: Math.max(error.column, error.endColumn) }
      : {}),
    level: "failure",
    title: error.path ? `waves.yml: ${error.path}` : "waves.yml",
    message: safeUserText(error.message),
  };
}

/** A failing `waves / config` check on the commit, every error annotated at its line. */
export async function reportInvalidConfig(
  env: RolloutEnv,
  sha: string,
  errors: readonly ConfigError[],
): Promise<void> {
  const lines = errors.map(
    (e) =>
      `- \`${e.file}:${e.line}:${e.column}\`${e.path ? ` \`${e.path}\`` : ""}: ${safeUserText(e.message)}`,
  );
  await env.source.setCheckRun({
    name: CONFIG_CHECK,
    headSha: sha,
    status: "completed",
    conclusion: "failure",
    externalId: `config/${sha}`,
    title: `${errors.length} error(s) in ${DEFAULT_CONFIG_FILE}: no rollout`,
    summary: `The configuration is invalid, so this change is not rolled out.\n\n${lines.join("\n")}`,
    annotations: errors.map(annotationOf),
  });
}

/** Template overrides read from the source repository at `ref`, once each per run. */
export function templateOverrides(env: RolloutEnv, ref: string): TemplateOverrides | undefined {
  if (env.templateOverrides === false) return undefined;
  const cache = new Map<string, Promise<string | undefined>>();
  return (name) => {
    let text = cache.get(name);
    if (!text) {
      text = env.source.readFile(ref, overridePath(name));
      cache.set(name, text);
    }
    return text;
  };
}
