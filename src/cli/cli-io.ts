/** Where a command writes; tests pass a capturing one. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (live progress) or not (plain log lines). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A CliIo that keeps what was written, for tests. */
export function captureIo(
  overrides: Partial<CliIo> = {},
): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => err.push(text.endsWith("\n") ? text : `${text}\n`),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    ...overrides,
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
