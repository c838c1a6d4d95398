/**
 * The hidden blocks that keep rollout state in GitHub: `<!-- waves:state {json} -->` at the end
 * of a rollout PR's body, `<!-- waves:gate {json} -->` in a wave check run's text. Anyone with
 * write access can edit a PR body, so decoding validates with zod and ignores (with a log) what
 * does not fit, never throwing.
 */
import { z } from "zod";
import { PromotionFile } from "../config/waves.schema.js";
import type { GateClock } from "../health/types.js";
import type { Logger } from "../util/logger.js";
import { safeUserText } from "../util/redact.js";
import type { PromotionMeta, RevertMeta, RolloutMeta } from "./types.js";

const STATE_TAG = "waves:state";
const GATE_TAG = "waves:gate";
const QUEUED_TAG = "waves:queued";
const SIG_TAG = "waves:sig";

const Sha = z.string().regex(/^[0-9a-f]{7,64}$/);
const Iso = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "not a date");

const SourceInfo = z.object({
  sha: Sha,
  title: z.string().max(1000),
  author: z.string().max(100),
  url: z.string().max(2000),
  pullRequest: z.number().int().positive().optional(),
  branch: z.string().min(1).max(255),
  repository: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/)
    .optional(),
});

const BumpedFile = z.object({
  cluster: z.string().min(1),
  path: z.string().min(1),
  rule: PromotionFile,
  previous: z.string(),
  next: z.string(),
});

const Base = {
  v: z.literal(1),
  rolloutId: z.string().min(1).max(64),
  revision: Sha,
  source: SourceInfo,
  targetBranch: z.string().min(1).max(255),
  changedPaths: z.array(z.string()).max(1000),
  startedAt: Iso,
};

const QueuedSchema = z.object({
  revision: Sha,
  changedPaths: z.array(z.string()).max(1000),
  source: SourceInfo,
  targetBranch: z.string().min(1),
});
export type QueuedChange = z.infer<typeof QueuedSchema>;

const PromotionMetaSchema = z.object({
  ...Base,
  kind: z.literal("promotion"),
  wave: z.string().min(1),
  waveIndex: z.number().int().min(0),
  waves: z.array(z.string().min(1)).min(1),
  clusters: z.array(z.string()),
  files: z.array(BumpedFile),
  approvedBy: z.string().optional(),
  queued: QueuedSchema.optional(),
});

const RevertMetaSchema = z.object({
  ...Base,
  kind: z.literal("revert"),
  failedWave: z.string().min(1),
  reason: z.string().max(4000),
  files: z.array(BumpedFile),
  notified: z.boolean().optional(),
});

const MetaSchema = z.discriminatedUnion("kind", [PromotionMetaSchema, RevertMetaSchema]);

const VerdictSchema = z.enum(["pass", "pending", "fail", "unknown"]);
const GateClockSchema = z.object({
  startedAt: Iso,
  greenSince: Iso.optional(),
  failures: z.record(z.string(), z.number().int().min(0)),
  restartBaseline: z.record(z.string(), z.number()).optional(),
  lastRun: z.record(z.string(), Iso).optional(),
  lastGreenAt: Iso.optional(),
  lastVerdicts: z
    .record(
      z.string(),
      z.object({ status: VerdictSchema, reason: z.string(), url: z.string().optional() }),
    )
    .optional(),
});

/** JSON that cannot close the HTML comment it sits in. */
function hiddenJson(tag: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- ${tag} ${json} -->`;
}

function findHidden(text: string | undefined, tag: string): string | undefined {
  if (!text) return undefined;
  const start = text.lastIndexOf(`<!-- ${tag} `);
  if (start < 0) return undefined;
  const end = text.indexOf(" -->", start);
  if (end < 0) return undefined;
  return text.slice(start + tag.length + 6, end);
}

function decodeHidden<T>(
  text: string | undefined,
  tag: string,
  schema: z.ZodType<T>,
  logger: Logger | undefined,
  where: Record<string, unknown>,
): T | undefined {
  const raw = findHidden(text, tag);
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    logger?.warn({ ...where, tag }, "hidden state is not JSON; ignored");
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    logger?.warn(
      { ...where, tag, problem: parsed.error.issues[0]?.message ?? "invalid" },
      "hidden state does not validate; ignored",
    );
    return undefined;
  }
  return parsed.data;
}

/** User text in the hidden block is made safe too: a body is readable by anyone who sees the PR. */
export function encodeState(meta: RolloutMeta): string {
  const source = {
    ...meta.source,
    title: safeUserText(meta.source.title),
    author: safeUserText(meta.source.author),
  };
  return hiddenJson(STATE_TAG, { ...meta, source });
}

/** The metadata at the end of a rollout PR's body, or undefined (logged) when absent or invalid. */
export function decodeState(
  body: string | undefined,
  logger?: Logger,
  where: Record<string, unknown> = {},
): RolloutMeta | undefined {
  return decodeHidden(body, STATE_TAG, MetaSchema, logger, where) as
    | PromotionMeta
    | RevertMeta
    | undefined;
}

/** Replaces (or appends) the state block of a body, leaving the rest as it is. */
export function replaceState(body: string, meta: RolloutMeta): string {
  const start = body.lastIndexOf(`<!-- ${STATE_TAG} `);
  const block = encodeState(meta);
  if (start < 0) return `${body.trimEnd()}\n\n${block}\n`;
  const end = body.indexOf(" -->", start);
  return `${body.slice(0, start)}${block}${end < 0 ? "" : body.slice(end + 4)}`;
}

export function encodeGate(clock: GateClock): string {
  return hiddenJson(GATE_TAG, clock);
}

export function decodeGate(
  text: string | undefined,
  logger?: Logger,
  where: Record<string, unknown> = {},
): GateClock | undefined {
  return decodeHidden(text, GATE_TAG, GateClockSchema, logger, where) as GateClock | undefined;
}

/** A short fingerprint of what a wave check shows, so unchanged evaluations write nothing. */
export function encodeSignature(signature: string): string {
  return `<!-- ${SIG_TAG} ${JSON.stringify(signature)} -->`;
}

export function decodeSignature(text: string | undefined): string | undefined {
  return decodeHidden(text, SIG_TAG, z.string(), undefined, {});
}

export function encodeQueued(change: QueuedChange): string {
  return hiddenJson(QUEUED_TAG, change);
}

export function decodeQueued(text: string | undefined, logger?: Logger): QueuedChange | undefined {
  return decodeHidden(text, QUEUED_TAG, QueuedSchema, logger, {});
}
