/** What every e2e scenario checks the same way: one PR per wave, no pings, no secrets. */
import { expect } from "vitest";
import { ARGOCD_TOKEN, type E2eStack, REPO, WEBHOOK_SECRET } from "./e2e-stack.js";

/** Exactly one promotion PR per (revision, wave) branch: nothing was ever opened twice. */
export function expectNoDuplicatePrs(stack: E2eStack): void {
  const heads = stack.github
    .pullsOf(REPO)
    .filter((p) => p.head.startsWith("waves/"))
    .map((p) => p.head);
  expect(heads.length, `duplicate PRs:\n${stack.describe()}`).toBe(new Set(heads).size);
}

/** Everything the bot wrote: PR titles and bodies, comments, check-run output. */
export function botText(stack: E2eStack): string {
  const repo = stack.github.repo(REPO);
  const bot = stack.github.bot.login;
  return [
    ...repo.pulls.filter((p) => p.user.login === bot).flatMap((p) => [p.title, p.body]),
    ...repo.comments.filter((c) => c.user.login === bot).map((c) => c.body),
    ...repo.checkRuns.flatMap((r) => [
      r.output.title ?? "",
      r.output.summary ?? "",
      r.output.text ?? "",
    ]),
  ].join("\n");
}

/** No installation token, webhook secret, Argo CD token or private key in logs or bot text. */
export function expectNoSecrets(stack: E2eStack): void {
  const secrets = [
    ...stack.github.tokens.keys(),
    WEBHOOK_SECRET,
    ARGOCD_TOKEN,
    "BEGIN PRIVATE KEY",
  ];
  const logs = stack.logs.join("\n");
  const text = botText(stack);
  for (const secret of secrets) {
    expect(logs.includes(secret), `secret in app logs: ${secret.slice(0, 8)}…`).toBe(false);
    expect(text.includes(secret), `secret in bot text: ${secret.slice(0, 8)}…`).toBe(false);
  }
}

/**
 * A raw `@org/team` from the change must never reach bot text, hidden state blocks included
 * (it would ping the team).
 */
export function expectNoPings(stack: E2eStack, handle: string): void {
  const rendered = botText(stack);
  expect(rendered).not.toContain(handle);
  // The change's title does reach the text, neutralised (so this check is not vacuous).
  expect(rendered).toContain(handle.replace("@", "@\u200d"));
}
