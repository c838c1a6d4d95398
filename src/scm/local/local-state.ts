/** What the local SCM adapter keeps besides git: the JSON shape of its state file. */
import type {
  CheckAnnotation,
  CheckRun,
  CheckRunAction,
  PullRequest,
  Reaction,
  SourceChange,
} from "../port.js";

export interface LocalComment {
  id: number;
  pr: number;
  author: string;
  body: string;
  createdAt: string;
}

export interface StoredCheckRun extends CheckRun {
  detailsUrl?: string;
  actions?: CheckRunAction[];
  annotations?: CheckAnnotation[];
  updatedAt: string;
  /** How many times it was created or updated (tests assert "only when changed"). */
  writes: number;
}

export interface LocalState {
  nextNumber: number;
  nextCheckId: number;
  nextCommentId: number;
  pulls: (PullRequest & { closedAt?: string })[];
  comments: LocalComment[];
  checkRuns: StoredCheckRun[];
  reactions: { commentId: number; reaction: Reaction }[];
  /** Pull request number → why merging it is refused (branch protection stand-in). */
  blocked: Record<string, string>;
  sourceChanges: Record<string, SourceChange>;
}

export function emptyLocalState(): LocalState {
  return {
    nextNumber: 1,
    nextCheckId: 1,
    nextCommentId: 1,
    pulls: [],
    comments: [],
    checkRuns: [],
    reactions: [],
    blocked: {},
    sourceChanges: {},
  };
}
