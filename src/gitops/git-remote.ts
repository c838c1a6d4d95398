/**
 * Remote URLs the workspace accepts, what it shows of them, and the cache directory name each
 * gets. Credentials never ride in a URL: one that carries them is refused.
 */
import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";

export type RemoteKind = "http" | "file-url" | "path";

export interface ParsedRemote {
  /** What git is given. */
  url: string;
  /** Safe to log: no credentials, no query. */
  display: string;
  kind: RemoteKind;
  /** Directory name under the cache dir: safe characters only, unique per URL. */
  cacheName: string;
}

function cacheNameOf(readable: string, url: string): string {
  const safe = readable
    .replace(/\.git$/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, 80);
  const hash = createHash("sha256").update(url).digest("hex").slice(0, 10);
  return `${safe || "repo"}-${hash}.git`;
}

/** Parses and checks a remote; throws an error naming the problem (never echoing a secret). */
export function parseRemote(raw: string): ParsedRemote {
  const text = raw.trim();
  if (text.length === 0) throw new Error("git remote URL is empty");
  if (/^https?:\/\//i.test(text) || /^file:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new Error("git remote URL is not a valid URL");
    }
    if (parsed.username || parsed.password) {
      throw new Error(
        `git remote URL for ${parsed.host}${parsed.pathname} must not carry credentials: pass the token through GitRemote.token`,
      );
    }
    if (parsed.search || parsed.hash) {
      throw new Error(
        `git remote URL ${parsed.origin}${parsed.pathname} must not have a query or fragment`,
      );
    }
    const kind: RemoteKind = parsed.protocol === "file:" ? "file-url" : "http";
    const url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    return {
      url,
      display: url,
      kind,
      cacheName: cacheNameOf(`${parsed.host}${parsed.pathname}`, url),
    };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) || /^[^/]+@[^/]+:/.test(text)) {
    throw new Error("git remote URL must be https://, http://, file:// or a local path");
  }
  if (text.startsWith("-")) throw new Error("git remote path must not start with '-'");
  const path = isAbsolute(text) ? text : resolve(text);
  return { url: path, display: path, kind: "path", cacheName: cacheNameOf(path, path) };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Branch names git and the shell cannot misread (no options, no ranges, no refspec syntax). */
export function checkBranchName(branch: string): string {
  const name = branch.startsWith("refs/heads/") ? branch.slice("refs/heads/".length) : branch;
  const bad =
    name.length === 0 ||
    name.startsWith("-") ||
    name.startsWith("/") ||
    name.endsWith("/") ||
    name.endsWith(".lock") ||
    name.endsWith(".") ||
    name.includes("..") ||
    name.includes("//") ||
    name.includes("@{") ||
    /[\s~^:?*[\\]/.test(name) ||
    hasControlCharacter(name);
  if (bad) throw new Error(`"${name}" is not a valid git branch name`);
  return name;
}

/** Repository-relative file paths: no absolute paths, no `..`, no control characters. */
export function checkFilePath(path: string): string {
  const bad =
    path.length === 0 ||
    path.startsWith("/") ||
    path.endsWith("/") ||
    hasControlCharacter(path) ||
    path.split("/").some((part) => part === "" || part === "." || part === ".." || part === ".git");
  if (bad) throw new Error(`"${path}" is not a valid repository file path`);
  return path;
}

/** A full commit id (SHA-1 or SHA-256). */
export function isCommitId(ref: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(ref);
}
