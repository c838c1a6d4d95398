import { expect } from "vitest";
import { loadConfig } from "../../src/config/index.js";

export interface ExpectedError {
  line: number;
  column: number;
  path: string;
  /** Fragments the message must contain, in order. */
  says: string[];
}

export interface ErrorCase {
  name: string;
  yaml: string[];
  errors: ExpectedError[];
}

export const waves = (...lines: string[]) => ["waves:", ...lines];

/** Loads the case strictly (warnings count) and checks every error's position and words. */
export function expectErrors({ yaml, errors }: ErrorCase): void {
  const result = loadConfig(`${yaml.join("\n")}\n`, "w.yml", { strict: true });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  const got = result.errors.map((e) => ({ line: e.line, column: e.column, path: e.path }));
  expect(got).toEqual(errors.map(({ line, column, path }) => ({ line, column, path })));
  result.errors.forEach((error, i) => {
    let from = 0;
    for (const fragment of errors[i]?.says ?? []) {
      const at = error.message.indexOf(fragment, from);
      expect(at, `${error.message}\n  should say: ${fragment}`).toBeGreaterThanOrEqual(0);
      from = at + fragment.length;
    }
    expect(error.file).toBe("w.yml");
    expect(error.endLine * 10_000 + error.endColumn).toBeGreaterThanOrEqual(
      error.line * 10_000 + error.column,
    );
  });
}
