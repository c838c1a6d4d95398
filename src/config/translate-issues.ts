import type { z } from "zod";
import { redact } from "../util/redact.js";
import type { ConfigIssue, ConfigPath } from "./config-error.js";
import { suggest } from "./suggest.js";

type ZodIssue = z.core.$ZodIssue;

/** Fields whose values are never repeated in an error: they may hold a secret. */
const SECRET_FIELDS = new Set([
  "token",
  "tokenEnv",
  "url",
  "destinationServer",
  "query",
  "argocd",
  "prometheus",
]);

function valueAt(data: unknown, path: ConfigPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** What a YAML value is, in words. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "boolean") return `${value} (a boolean)`;
  if (typeof value === "number") return `${value} (a number)`;
  return "text";
}

const EXPECTED: Record<string, string> = {
  array: "a list",
  object: "a mapping",
  record: "a mapping",
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

function fieldName(path: ConfigPath): string {
  const last = path[path.length - 1];
  if (last === undefined) return "the file";
  if (typeof last === "number") {
    const parent = path[path.length - 2];
    return `${typeof parent === "string" ? parent : "item"}[${last}]`;
  }
  return last;
}

function quoted(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${redact(short)}'`;
}

function isSecretField(path: ConfigPath): boolean {
  return SECRET_FIELDS.has(String(path[path.length - 1]));
}

/** `text ('yes')` for short strings that are safe to repeat. */
function received(path: ConfigPath, value: unknown): string {
  if (typeof value === "string" && !isSecretField(path) && value.length <= 60) {
    return `text (${quoted(value)})`;
  }
  return describeValue(value);
}

/** Extra advice for fields whose shape is easy to get wrong. */
const HINTS: Record<string, string> = {
  condition: 'write a comparison in quotes such as "< 0.01", or a range such as { min: 0, max: 5 }',
};

/** `waitTime '1 hour'` when the value is safe to repeat, else `waitTime`. */
function subject(path: ConfigPath, data: unknown): string {
  const name = fieldName(path);
  const value = valueAt(data, path);
  if (typeof value === "string" && !isSecretField(path)) {
    return `${name} ${quoted(value)}`;
  }
  return name;
}

function sizeMessage(issue: ZodIssue & { origin?: string }, big: boolean, name: string): string {
  const limit = Number(
    (issue as { minimum?: unknown; maximum?: unknown })[big ? "maximum" : "minimum"],
  );
  switch (issue.origin) {
    case "array":
      if (!big && limit === 1) return `${name} must not be an empty list`;
      return `${name} must list ${big ? "at most" : "at least"} ${limit} items`;
    case "string":
      if (!big && limit === 1) return `${name} must not be empty`;
      return `${name} must be ${big ? "at most" : "at least"} ${limit} characters long`;
    default:
      return `${name} must be ${big ? "at most" : "at least"} ${limit}`;
  }
}

/** Picks the union branch the user most likely meant: the one with the fewest problems. */
function bestBranch(branches: readonly ZodIssue[][]): ZodIssue[] {
  let best: ZodIssue[] = [];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const branch of branches) {
    const rootMismatch = branch.filter(
      (issue) => issue.path.length === 0 && issue.code !== "custom",
    ).length;
    const score = rootMismatch * 1000 + branch.length;
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/** Turns zod issues into sentences a user can act on, with the path of the offending node. */
export function translateIssues(issues: readonly ZodIssue[], data: unknown): ConfigIssue[] {
  return issues.flatMap((issue) => translateIssue(issue, data));
}

function translateIssue(issue: ZodIssue, data: unknown): ConfigIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const name = fieldName(path);
  switch (issue.code) {
    case "invalid_type": {
      const value = valueAt(data, path);
      if (value === undefined) {
        return [{ path, message: `${name} is required but missing` }];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (value === null)
        return [{ path, message: `${name} has no value: it must be ${expected}` }];
      return [{ path, message: `${name} must be ${expected}, not ${received(path, value)}` }];
    }
    case "too_small":
      return [{ path, message: sizeMessage(issue, false, name) }];
    case "too_big":
      return [{ path, message: sizeMessage(issue, true, name) }];
    case "invalid_value": {
      const allowed = issue.values.map((v) => `'${String(v)}'`).join(", ");
      return [{ path, message: `${subject(path, data)} must be one of ${allowed}` }];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const hint = suggest(key);
        return {
          path: [...path, key],
          at: "key" as const,
          message: `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}`,
        };
      });
    case "invalid_key": {
      const key = path[path.length - 1];
      const inner = issue.issues[0];
      const reason =
        inner?.code === "too_small" ? "must not be empty" : (inner?.message ?? "is not allowed");
      return [{ path, at: "key", message: `name ${quoted(String(key))} ${reason}` }];
    }
    case "invalid_union": {
      if ("discriminator" in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const allowed = options.map((o) => `'${String(o)}'`).join(", ");
        const value = valueAt(data, path);
        if (value === undefined) {
          return [{ path, message: `${name} is required: one of ${allowed}` }];
        }
        return [{ path, message: `${subject(path, data)} must be one of ${allowed}` }];
      }
      const rootTypes = issue.errors.map((branch) =>
        branch.find((inner) => inner.path.length === 0 && inner.code === "invalid_type"),
      );
      if (rootTypes.length > 0 && rootTypes.every(Boolean)) {
        const value = valueAt(data, path);
        const kinds = rootTypes.map((inner) => {
          const expected = inner && "expected" in inner ? String(inner.expected) : "";
          return EXPECTED[expected] ?? expected;
        });
        const hint = HINTS[String(path[path.length - 1])];
        const message = `${name} must be ${[...new Set(kinds)].join(" or ")}, not ${received(path, value)}`;
        return [{ path, message: hint ? `${message}: ${hint}` : message }];
      }
      const branch = bestBranch(issue.errors);
      if (branch.length === 0) return [{ path, message: `${name} is not valid here` }];
      return translateIssues(
        branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })),
        data,
      );
    }
    case "custom":
      if (path[path.length - 1] === "token") return [tokenIssue(path)];
      return [{ path, message: `${subject(path, data)} ${issue.message}` }];
    default:
      return [{ path, message: `${subject(path, data)} ${issue.message}` }];
  }
}

function dotted(path: ConfigPath): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".");
}

/** Never repeats the value: it is a secret the user just committed. */
function tokenIssue(path: ConfigPath): ConfigIssue {
  const owner = path.slice(0, -1);
  return {
    path,
    at: "key",
    message:
      `${dotted(path)} holds a token written inline: never put a token in the repository ` +
      `(and rotate this one). Store it in an environment variable and set ` +
      `${dotted([...owner, "tokenEnv"])} to that variable's name`,
  };
}
