/**
 * Makes an embedded Argo CD "follow what is merged": on every tick it reads the GitOps
 * repository's branch, finds each cluster's pinned revision, and when a pin changes it syncs the
 * cluster's app on the fake Argo CD — Progressing first, then Healthy (or Degraded with a
 * CrashLoopBackOff pod and a high error rate when the cluster is meant to break). Time comes
 * from an injected clock so the demo and tests can compress bake times.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { MetricsServer } from "./metrics-server.js";

const run = promisify(execFile);

export type FollowedHealth = "Progressing" | "Healthy" | "Degraded";

/** What the follower needs from the fake Argo CD (`startFakeArgoCd` satisfies it). */
export interface FollowerArgoCd {
  syncApp(
    name: string,
    state: {
      revision: string;
      health: FollowedHealth;
      podReason?: string;
      restarts?: number;
      at: Date;
    },
  ): unknown;
}

/** Reads a file of the followed branch's head; undefined when absent. */
export type HeadFileReader = (path: string) => Promise<string | undefined>;

/** The revision a cluster pins, read from the repository (e.g. through the bumpers' read side). */
export type PinReader = (cluster: string, read: HeadFileReader) => Promise<string | undefined>;

export interface FleetFollowerOptions {
  /** The GitOps repository's git directory (a bare repository is fine). */
  gitDir: string;
  branch?: string;
  clusters: string[];
  /** The Argo CD application name of a cluster. */
  appName(cluster: string): string;
  argocd: FollowerArgoCd;
  /** Optional metrics source: error rate per cluster follows the cluster's health. */
  metrics?: Pick<MetricsServer, "setValue">;
  pinOf: PinReader;
  clock(): Date;
  /** How long an app stays Progressing after a new pin (on the injected clock). Default 30s. */
  healthyAfterMs?: number;
  /** Whether a cluster running this pinned revision is broken (Degraded, CrashLoopBackOff). */
  isBroken?(cluster: string, pinned: string): boolean;
  /** Error rates the metrics source reports. */
  errorRate?: { healthy: number; broken: number };
}

export interface FollowedCluster {
  cluster: string;
  pinned: string;
  /** The branch commit the app synced to. */
  syncedTo: string;
  health: FollowedHealth;
  /** When the current health started (injected clock). */
  since: Date;
}

export interface FollowerEvent {
  cluster: string;
  kind: "syncing" | "healthy" | "degraded";
  pinned: string;
  at: Date;
}

export interface FleetFollower {
  /** Reads the branch and moves every app one step; returns what changed. */
  tick(): Promise<FollowerEvent[]>;
  state(cluster: string): FollowedCluster | undefined;
  states(): FollowedCluster[];
}

function git(gitDir: string, args: string[]): Promise<{ stdout: string }> {
  return run("git", ["--git-dir", gitDir, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_CONFIG_NOSYSTEM: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Reads many `<rev>:<path>` blobs with one `git cat-file --batch` process. */
export async function readBlobs(
  gitDir: string,
  rev: string,
  paths: string[],
): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  if (paths.length === 0) return out;
  const child = spawn("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_CONFIG_NOSYSTEM: "1" },
  });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`git cat-file exited with ${code}`)),
    );
  });
  child.stdin.end(paths.map((path) => `${rev}:${path}\n`).join(""));
  await done;
  const data = Buffer.concat(chunks);
  let offset = 0;
  for (const path of paths) {
    const newline = data.indexOf(10, offset);
    const header = data.subarray(offset, newline).toString("utf8");
    offset = newline + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      out.set(path, undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    out.set(path, data.subarray(offset, offset + size).toString("utf8"));
    offset += size + 1;
  }
  return out;
}

export function createFleetFollower(options: FleetFollowerOptions): FleetFollower {
  const branch = options.branch ?? "main";
  const healthyAfterMs = options.healthyAfterMs ?? 30_000;
  const rates = options.errorRate ?? { healthy: 0.002, broken: 0.087 };
  const clusters = new Map<string, FollowedCluster>();
  let lastHead: string | undefined;

  /** Reads asked for in the same turn of the event loop share one `git cat-file --batch`. */
  function batchedReader(head: string): HeadFileReader {
    const cache = new Map<string, Promise<string | undefined>>();
    let queue: { path: string; resolve(v: string | undefined): void; reject(e: unknown): void }[] =
      [];
    const flush = () => {
      const batch = queue;
      queue = [];
      readBlobs(
        options.gitDir,
        head,
        batch.map((item) => item.path),
      ).then(
        (blobs) => {
          for (const item of batch) item.resolve(blobs.get(item.path));
        },
        (error: unknown) => {
          for (const item of batch) item.reject(error);
        },
      );
    };
    return (path) => {
      let pending = cache.get(path);
      if (!pending) {
        pending = new Promise((resolve, reject) => {
          if (queue.length === 0) setImmediate(flush);
          queue.push({ path, resolve, reject });
        });
        cache.set(path, pending);
      }
      return pending;
    };
  }

  async function readPins(head: string): Promise<Map<string, string | undefined>> {
    const read = batchedReader(head);
    const pins = await Promise.all(
      options.clusters.map(
        async (cluster) => [cluster, await options.pinOf(cluster, read)] as const,
      ),
    );
    return new Map(pins);
  }

  function broken(cluster: string, pinned: string): boolean {
    return options.isBroken?.(cluster, pinned) ?? false;
  }

  async function settle(entry: FollowedCluster, now: Date): Promise<FollowerEvent> {
    const bad = broken(entry.cluster, entry.pinned);
    entry.health = bad ? "Degraded" : "Healthy";
    entry.since = now;
    await options.argocd.syncApp(options.appName(entry.cluster), {
      revision: entry.syncedTo,
      health: entry.health,
      ...(bad ? { podReason: "CrashLoopBackOff", restarts: 5 } : { restarts: 0 }),
      at: now,
    });
    options.metrics?.setValue(entry.cluster, bad ? rates.broken : rates.healthy);
    return {
      cluster: entry.cluster,
      kind: bad ? "degraded" : "healthy",
      pinned: entry.pinned,
      at: now,
    };
  }

  async function tick(): Promise<FollowerEvent[]> {
    const now = options.clock();
    const events: FollowerEvent[] = [];
    const head = (await git(options.gitDir, ["rev-parse", `refs/heads/${branch}`])).stdout.trim();
    if (head !== lastHead) {
      const first = lastHead === undefined;
      lastHead = head;
      const pins = await readPins(head);
      for (const [cluster, pinned] of pins) {
        if (pinned === undefined) continue;
        const known = clusters.get(cluster);
        if (known && known.pinned === pinned) continue;
        const entry: FollowedCluster = {
          cluster,
          pinned,
          syncedTo: head,
          health: "Progressing",
          since: now,
        };
        clusters.set(cluster, entry);
        if (first) {
          // What was running before the follower started is simply there, already settled.
          events.push(await settle(entry, now));
          continue;
        }
        await options.argocd.syncApp(options.appName(cluster), {
          revision: head,
          health: "Progressing",
          at: now,
        });
        events.push({ cluster, kind: "syncing", pinned, at: now });
      }
    }
    for (const entry of clusters.values()) {
      if (entry.health !== "Progressing") continue;
      if (now.getTime() - entry.since.getTime() >= healthyAfterMs) {
        events.push(await settle(entry, now));
      }
    }
    return events;
  }

  return {
    tick,
    state: (cluster) => clusters.get(cluster),
    states: () => [...clusters.values()],
  };
}
