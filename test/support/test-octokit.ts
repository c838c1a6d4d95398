/** Octokit for adapter tests: Probot's, with throttling and retries off (function form, STYLE 7). */
import { ProbotOctokit } from "probot";

export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options.throttle as object | undefined), enabled: false },
  retry: { enabled: false },
}));

export function tokenOctokit(token = "ghs_0123456789abcdefghijklmnopqrstuv"): ProbotOctokit {
  return new TestOctokit({ auth: { token } }) as ProbotOctokit;
}
