/**
 * GitHub's limits on check-run payloads: output summary and text at most 65,535 characters,
 * at most 3 actions (label ≤ 20, identifier ≤ 40, description ≤ 40 characters), at most 50
 * annotations per request. Longer content is cut at a safe place, never mid surrogate pair.
 */
import type { CheckAnnotation, CheckRunAction } from "../port.js";

export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_ACTIONS = 3;
export const MAX_ANNOTATIONS = 50;
const TRUNCATION_NOTE = "\n\n… (truncated)";

/** Cuts `text` to at most `max` UTF-16 code units, keeping surrogate pairs whole. */
export function truncateText(text: string, max: number, note = TRUNCATION_NOTE): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - note.length);
  const code = text.charCodeAt(cut - 1);
  // A lone high surrogate at the cut would leave half a character behind.
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + note.slice(0, max - cut);
}

export function limitActions(actions: CheckRunAction[] | undefined): CheckRunAction[] | undefined {
  if (!actions) return undefined;
  return actions.slice(0, MAX_ACTIONS).map((action) => ({
    label: truncateText(action.label, 20, ""),
    identifier: truncateText(action.identifier, 40, ""),
    description: truncateText(action.description, 40, ""),
  }));
}

export interface GitHubAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export function toGitHubAnnotations(
  annotations: CheckAnnotation[] | undefined,
): GitHubAnnotation[] | undefined {
  if (!annotations || annotations.length === 0) return undefined;
  return annotations.slice(0, MAX_ANNOTATIONS).map((a) => {
    // Columns are only accepted on single-line annotations.
    const sameLine = a.startLine === a.endLine;
    return {
      path: a.path,
      start_line: a.startLine,
      end_line: a.endLine,
      ...(sameLine && a.startColumn !== undefined ? { start_column: a.startColumn } : {}),
      ...(sameLine && a.endColumn !== undefined ? { end_column: a.endColumn } : {}),
      annotation_level: a.level,
      message: truncateText(a.message, MAX_OUTPUT_CHARS),
      ...(a.title ? { title: truncateText(a.title, 255, "") } : {}),
    };
  });
}
