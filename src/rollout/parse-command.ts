/**
 * Comment commands, parsed strictly: only the first line counts and it must be exactly one
 * command (`/approve <wave>`, `/hold`, `/resume`, `/rollback`, `/retry <wave>`); anything else
 * is not a command and changes nothing.
 */
import type { CommandName } from "./types.js";

export interface ParsedCommand {
  name: CommandName;
  wave?: string;
}

const WITH_WAVE = /^\/(approve|retry)[ \t]+([a-z0-9](?:[a-z0-9._-]{0,61}[a-z0-9])?)$/;
const BARE = /^\/(hold|resume|rollback)$/;

export function parseCommand(body: string): ParsedCommand | undefined {
  const first = (body.split(/\r?\n/, 1)[0] ?? "").trim();
  const withWave = WITH_WAVE.exec(first);
  if (withWave) return { name: withWave[1] as CommandName, wave: withWave[2] as string };
  const bare = BARE.exec(first);
  if (bare) return { name: bare[1] as CommandName };
  return undefined;
}
