/**
 * Reading files of one commit in a cached clone: which object each path holds (ls-tree), the
 * blobs a partial clone still lacks (fetched in one call), and their contents through ONE
 * `git cat-file --batch`, whatever the number of files.
 */
import { createHash } from "node:crypto";
import { parseCatFileBatch } from "./git-cat-file.js";
import type { RepoGit } from "./workspace-git.js";

/** Above this many paths, list the whole tree once instead of matching pathspecs. */
const FULL_LISTING_ABOVE = 64;
/** Pathspec arguments per git call (argv stays far below the kernel limit). */
const PATHSPECS_PER_CALL = 2_000;

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
}

/** A blob's SHA-1 object id, as git computes it. */
export function blobId(content: string): string {
  const body = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What one commit's tree holds at the paths looked up so far (null: absent). */
interface Listing {
  commit: string;
  /** The whole tree was listed: a path not in `entries` is absent. */
  complete: boolean;
  entries: Map<string, TreeEntry | null>;
}

export class WorkspaceTree {
  /** Blobs known to be present (read or written here): a partial clone need not look for them. */
  private readonly knownBlobs = new Set<string>();
  /**
   * The last commit's listing: a promotion reads its files and then commits on the same base,
   * and a commit never changes, so the commit needs no second `ls-tree` (of the whole tree,
   * for a large wave).
   */
  private listing: Listing | undefined;

  constructor(
    private readonly git: RepoGit,
    private readonly partial: boolean,
    /** Fetches objects by id in one network call. */
    private readonly fetchObjects: (oids: readonly string[], ref: string) => Promise<void>,
  ) {}

  /** The contents of `paths` at `commit`; undefined for absent paths and directories. */
  async read(commit: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const entries = await this.entries(commit, paths);
    if (this.partial) await this.fetchMissingBlobs(commit, entries);
    const oids = [
      ...new Set([...entries.values()].filter((e) => e.type === "blob").map((e) => e.oid)),
    ];
    const objects =
      oids.length === 0
        ? new Map()
        : parseCatFileBatch(
            (
              await this.git.local(["cat-file", "--batch"], "read", {
                input: `${oids.join("\n")}\n`,
              })
            ).stdout,
            oids,
          );
    const result = new Map<string, string | undefined>();
    for (const path of paths) {
      const entry = entries.get(path);
      const object = entry?.type === "blob" ? objects.get(entry.oid) : undefined;
      result.set(path, object ? object.content.toString("utf8") : undefined);
    }
    return result;
  }

  /** Records blobs this process wrote (a later read after the merge need not look for them). */
  rememberWritten(contents: readonly string[]): void {
    this.rememberBlobs(contents.map(blobId));
  }

  /**
   * Pathspec groups for a listing: few paths are matched by git; many are filtered here from a
   * full listing, since git's pathspec matching costs entries × patterns.
   */
  private pathGroups(paths: readonly string[]): string[][] {
    return paths.length > FULL_LISTING_ABOVE ? [[]] : chunks(paths, FULL_LISTING_ABOVE);
  }

  /**
   * In a partial clone, fetches the blobs a read needs that are not here yet, in one call. Blobs
   * already read or written here are skipped; the rest are checked with a rev-list limited to
   * their paths (a whole-tree walk would look up every absent blob in every pack).
   */
  private async fetchMissingBlobs(commit: string, entries: ReadonlyMap<string, TreeEntry>) {
    const unknown = [...entries].filter(
      ([, e]) => e.type === "blob" && !this.knownBlobs.has(e.oid),
    );
    if (unknown.length === 0) return;
    const wanted = new Set(unknown.map(([, e]) => e.oid));
    const missing = new Set<string>();
    for (const group of chunks(
      unknown.map(([path]) => path),
      PATHSPECS_PER_CALL,
    )) {
      const listing = await this.git.local(
        [
          "--literal-pathspecs",
          "rev-list",
          "--objects",
          "--missing=print",
          "--no-walk",
          // The tree, not the commit: a commit that does not touch the paths would be pruned.
          `${commit}^{tree}`,
          "--",
          ...group,
        ],
        "read",
      );
      for (const line of listing.stdout.toString("utf8").split("\n")) {
        const oid = line.slice(1).trim();
        if (line.startsWith("?") && wanted.has(oid)) missing.add(oid);
      }
    }
    if (missing.size > 0) await this.fetchObjects([...missing], `${missing.size} blobs`);
    this.rememberBlobs(wanted);
  }

  private rememberBlobs(oids: Iterable<string>): void {
    if (this.knownBlobs.size > 200_000) this.knownBlobs.clear();
    for (const oid of oids) this.knownBlobs.add(oid);
  }

  /** Mode, type and object id of each path at `commit` (absent paths are left out). */
  async entries(commit: string, paths: readonly string[]): Promise<Map<string, TreeEntry>> {
    if (this.listing?.commit !== commit) {
      this.listing = { commit, complete: false, entries: new Map() };
    }
    const listing = this.listing;
    const unknown = listing.complete ? [] : paths.filter((path) => !listing.entries.has(path));
    if (unknown.length > 0) {
      const found = await this.list(commit, unknown);
      if (unknown.length > FULL_LISTING_ABOVE) {
        listing.complete = true;
        listing.entries = new Map(found);
      } else {
        for (const path of unknown) listing.entries.set(path, found.get(path) ?? null);
      }
    }
    const entries = new Map<string, TreeEntry>();
    for (const path of paths) {
      const entry = listing.entries.get(path);
      if (entry) entries.set(path, entry);
    }
    return entries;
  }

  /**
   * `ls-tree` of `paths` at `commit`: matched by pathspec when few, otherwise every entry of the
   * whole tree (the caller keeps them all).
   */
  private async list(commit: string, paths: readonly string[]): Promise<Map<string, TreeEntry>> {
    const entries = new Map<string, TreeEntry>();
    const full = paths.length > FULL_LISTING_ABOVE;
    const wanted = new Set(paths);
    for (const group of this.pathGroups(paths)) {
      const args = ["ls-tree", "-z", "--full-tree", ...(group.length > 0 ? [] : ["-r"]), commit];
      const listing = await this.git.local(
        group.length > 0 ? ["--literal-pathspecs", ...args, "--", ...group] : args,
        "read",
      );
      for (const record of listing.stdout.toString("utf8").split("\0")) {
        const tab = record.indexOf("\t");
        const path = record.slice(tab + 1);
        if (tab < 0 || !(full || wanted.has(path))) continue;
        const [mode, type, oid] = record.slice(0, tab).split(" ");
        if (mode && type && oid) entries.set(path, { mode, type, oid });
      }
    }
    return entries;
  }
}
