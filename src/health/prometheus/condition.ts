/**
 * A check's condition (`< 0.01`, `>= 0.95`, `{ min, max }`) as a predicate over sample values,
 * with the words to explain a value that breaks it. NaN and ±Inf never satisfy a condition.
 */

export type Comparison = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type ConditionSpec = string | { min?: number | undefined; max?: number | undefined };

export interface Condition {
  /** As users write it: `< 0.01`, `in [0.9, 1]`, `>= 0.5`. */
  readonly text: string;
  /** True when the value satisfies the condition (never for NaN or ±Inf). */
  holds(value: number): boolean;
  /** How far the value is from satisfying it: 0 exactly when it holds, Infinity for NaN/Inf. */
  distance(value: number): number;
  /** Why a value breaks it, e.g. `0.034 > 0.01`, `NaN`, `0.5 < min 0.9`. */
  explain(value: number): string;
}

const COMPARISON = /^\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** Formats a sample value the way Prometheus prints it (NaN, +Inf, -Inf, shortest decimal). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function relation(value: number, bound: number): string {
  if (value < bound) return "<";
  if (value > bound) return ">";
  return "==";
}

export function parseCondition(spec: ConditionSpec): Condition {
  if (typeof spec === "string") {
    const match = COMPARISON.exec(spec);
    if (!match) {
      throw new Error(
        `condition '${spec}' is not a comparison such as '< 0.01', '>= 0.95' or '== 0'`,
      );
    }
    const op = match[1] as Comparison;
    const bound = Number(match[2]);
    const text = `${op} ${formatValue(bound)}`;
    const test = (v: number): boolean => {
      switch (op) {
        case "<":
          return v < bound;
        case "<=":
          return v <= bound;
        case ">":
          return v > bound;
        case ">=":
          return v >= bound;
        case "==":
          return v === bound;
        case "!=":
          return v !== bound;
      }
    };
    return {
      text,
      holds: (v) => Number.isFinite(v) && test(v),
      // A value on the boundary that breaks the condition is still a little away from it.
      distance: (v) =>
        !Number.isFinite(v)
          ? Number.POSITIVE_INFINITY
          : test(v)
            ? 0
            : Math.abs(v - bound) || Number.MIN_VALUE,
      explain: (v) =>
        Number.isFinite(v)
          ? `${formatValue(v)} ${relation(v, bound)} ${formatValue(bound)}`
          : formatValue(v),
    };
  }
  const { min, max } = spec;
  if (min === undefined && max === undefined) throw new Error("a range needs min, max or both");
  if (min !== undefined && max !== undefined && min > max) {
    throw new Error(`range min ${min} is greater than max ${max}`);
  }
  const text =
    min !== undefined && max !== undefined
      ? `in [${formatValue(min)}, ${formatValue(max)}]`
      : min !== undefined
        ? `>= ${formatValue(min)}`
        : `<= ${formatValue(max as number)}`;
  const holds = (v: number) =>
    Number.isFinite(v) && (min === undefined || v >= min) && (max === undefined || v <= max);
  return {
    text,
    holds,
    distance: (v) => {
      if (!Number.isFinite(v)) return Number.POSITIVE_INFINITY;
      if (min !== undefined && v < min) return min - v;
      if (max !== undefined && v > max) return v - max;
      return 0;
    },
    explain: (v) => {
      if (!Number.isFinite(v)) return formatValue(v);
      if (min !== undefined && v < min) return `${formatValue(v)} < min ${formatValue(min)}`;
      if (max !== undefined && v > max) return `${formatValue(v)} > max ${formatValue(max)}`;
      return `${formatValue(v)} ${text}`;
    },
  };
}
