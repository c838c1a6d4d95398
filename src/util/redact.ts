/**
 * Keeps secrets and pings out of text that leaves the process (logs, check runs, comments).
 */

const SECRET_PATTERNS: RegExp[] = [
  // URL userinfo: https://user:token@host → https://***@host
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi,
  // Authorization headers and bearer tokens
  /(?<=\b(?:authorization|bearer|token)\s*[:=]?\s*)(?:bearer\s+|basic\s+|token\s+)?[A-Za-z0-9._~+/=-]{8,}/gi,
  // GitHub tokens (ghs_, ghp_, gho_, ghu_, ghr_, github_pat_)
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  // JWTs
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
];

/** Known secret values (tokens read from the environment) registered at start-up. */
const knownSecrets = new Set<string>();

/** Registers a secret value so that `redact` removes it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/** Replaces anything that looks like a credential with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join("***");
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match) => (match.endsWith("@") ? "***@" : "***"));
  }
  return out;
}

/**
 * Neutralises `@user` and `@org/team` mentions so bot text never pings anyone: a zero-width
 * joiner after the `@` keeps the text readable but stops GitHub from linking it.
 */
export function noMentions(text: string): string {
  return text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, "$1@\u200d");
}

/** Text from a user (commit titles, PR titles) made safe for bot-authored markdown. */
export function safeUserText(text: string): string {
  return noMentions(redact(text));
}
