/**
 * The `git fast-import` stream for one commit on top of a base: every changed file's blob, the
 * tree and the commit are written by one process, without a working tree or an index.
 */
import type { FileChange } from "./types.js";

export interface FastImportCommit {
  /** Scratch ref fast-import updates (the caller pushes the commit, not the ref). */
  ref: string;
  base: string;
  identity: { name: string; email: string };
  message: string;
  changes: readonly FileChange[];
  /** Git file mode per path (keeps an executable bit); default 100644. */
  modes?: ReadonlyMap<string, string>;
  when: Date;
}

/** C-style quoting, so any path (spaces, quotes, non-ASCII) survives the line-based format. */
function quotePath(path: string): string {
  const escaped = path.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  return `"${escaped}"`;
}

function identityLine(identity: { name: string; email: string }, when: Date): string {
  const clean = (text: string) => text.replace(/[<>\n\r]/g, "").trim();
  const seconds = Math.floor(when.getTime() / 1000);
  return `${clean(identity.name)} <${clean(identity.email)}> ${seconds} +0000`;
}

function data(content: string): Buffer[] {
  const body = Buffer.from(content, "utf8");
  return [Buffer.from(`data ${body.length}\n`), body, Buffer.from("\n")];
}

/** Builds the stream; `get-mark` makes fast-import print the new commit's id on stdout. */
export function fastImportStream(commit: FastImportCommit): Buffer {
  const who = identityLine(commit.identity, commit.when);
  const parts: Buffer[] = [
    Buffer.from(`commit ${commit.ref}\nmark :1\nauthor ${who}\ncommitter ${who}\n`),
    ...data(commit.message.endsWith("\n") ? commit.message : `${commit.message}\n`),
    Buffer.from(`from ${commit.base}\n`),
  ];
  for (const change of commit.changes) {
    const mode = commit.modes?.get(change.path) ?? "100644";
    parts.push(
      Buffer.from(`M ${mode} inline ${quotePath(change.path)}\n`),
      ...data(change.content),
    );
  }
  parts.push(Buffer.from("\nget-mark :1\ndone\n"));
  return Buffer.concat(parts);
}
