/**
 * A tiny `{{var}}` renderer over the markdown in `templates/` (found from this file's location,
 * so it works from `src/` under tsx and from `dist/` alike). A repository may override a template
 * with `.github/waves/templates/<name>.md`; overrides are sanitised: no hidden state blocks, no
 * pings, bounded size.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { noMentions } from "../util/redact.js";

export const TEMPLATE_NAMES = [
  "promotion-pr",
  "revert-pr",
  "wave-check",
  "rollout-check",
  "halted-comment",
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Where a repository keeps its overrides. */
export const overridePath = (name: TemplateName) => `.github/waves/templates/${name}.md`;

/** Largest override accepted; a longer one is ignored for the built-in template. */
export const MAX_OVERRIDE_CHARS = 20_000;

/** `templates/` at the package root: two levels up from `src/rollout/` or `dist/rollout/`. */
export function templatesDir(): string {
  return fileURLToPath(new URL("../../templates/", import.meta.url));
}

const builtins = new Map<TemplateName, Promise<string>>();

export function builtinTemplate(name: TemplateName): Promise<string> {
  let text = builtins.get(name);
  if (!text) {
    text = readFile(`${templatesDir()}${name}.md`, "utf8");
    builtins.set(name, text);
    text.catch(() => builtins.delete(name));
  }
  return text;
}

/** An override made safe to render: it cannot forge hidden state or ping anyone. */
export function sanitizeOverride(text: string): string | undefined {
  if (text.length > MAX_OVERRIDE_CHARS) return undefined;
  const cleaned = text.replace(/<!--[\s\S]*?(-->|$)/g, "");
  return noMentions(cleaned);
}

/** Replaces `{{name}}` with its value; unknown names render empty. Values are not re-scanned. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (_, key: string) =>
    Object.hasOwn(vars, key) ? (vars[key] ?? "") : "",
  );
}

/** Reads a repository's override of a template, if it has one. */
export type TemplateOverrides = (name: TemplateName) => Promise<string | undefined>;

export async function loadTemplate(
  name: TemplateName,
  overrides?: TemplateOverrides,
): Promise<string> {
  const custom = overrides ? await overrides(name).catch(() => undefined) : undefined;
  const safe = custom === undefined ? undefined : sanitizeOverride(custom);
  return safe ?? builtinTemplate(name);
}
