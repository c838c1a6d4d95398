/**
 * The environment every git process gets: a short allow-list of the parent's variables (no
 * EDITOR, no GIT_* leaking in), English messages (errors are classified by their text), no
 * prompts, no stored credential helpers, and, for network calls, the installation token as an
 * HTTP header passed through GIT_CONFIG_* variables: never in argv (`ps`), a URL or .git/config.
 */
import { redact, registerSecret } from "../util/redact.js";

const PASSED_THROUGH = [
  "PATH",
  "HOME",
  "TMPDIR",
  "SYSTEMROOT",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "GIT_SSL_CAINFO",
  "GIT_EXEC_PATH",
];

/** Config every call gets: no helper may supply or store credentials; gc never detaches. */
const BASE_CONFIG: [string, string][] = [
  ["credential.helper", ""],
  ["gc.autoDetach", "false"],
  ["maintenance.autoDetach", "false"],
  ["core.hooksPath", "/dev/null"],
];

function withConfig(env: NodeJS.ProcessEnv, entries: [string, string][]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    out[`GIT_CONFIG_KEY_${index}`] = key;
    out[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return out;
}

/** Env for a git call on the repository at `gitDir` (a bare repo; never discovered upwards). */
export function gitEnv(gitDir: string | undefined, parent: NodeJS.ProcessEnv = process.env) {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  env.LC_ALL = "C";
  env.LANGUAGE = "C";
  // zlib streams per object made glibc grow and trim the heap thousands of times in one
  // fast-import (4 brk calls per blob, ~100 ms of system time for 2,000 files): keep a pad.
  env.MALLOC_TOP_PAD_ = String(64 * 1024 * 1024);
  env.GIT_TERMINAL_PROMPT = "0";
  env.GIT_ASKPASS = "";
  env.SSH_ASKPASS = "";
  if (gitDir) env.GIT_DIR = gitDir;
  return withConfig(env, BASE_CONFIG);
}

export interface AuthenticatedEnv {
  env: NodeJS.ProcessEnv;
  /** Removes the token (raw and base64) and anything credential-like from text. */
  scrub(text: string): string;
}

/** Adds `Authorization: Basic base64(x-access-token:TOKEN)` for this one call, if a token is given. */
export function authenticatedEnv(
  base: NodeJS.ProcessEnv,
  token: string | undefined,
): AuthenticatedEnv {
  if (!token) return { env: base, scrub: redact };
  const encoded = Buffer.from(`x-access-token:${token}`).toString("base64");
  registerSecret(token);
  registerSecret(encoded);
  const count = Number(base.GIT_CONFIG_COUNT ?? "0");
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_CONFIG_COUNT: String(count + 1),
    [`GIT_CONFIG_KEY_${count}`]: "http.extraHeader",
    [`GIT_CONFIG_VALUE_${count}`]: `Authorization: Basic ${encoded}`,
  };
  const scrub = (text: string) => redact(text.split(token).join("***").split(encoded).join("***"));
  return { env, scrub };
}
