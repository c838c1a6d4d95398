/** An in-memory `GitCheckout` for adapter tests that must not need git. */
import type { GitCheckout, OpenCheckout } from "../../src/scm/github/git-checkout.js";

export interface FakeCheckout extends GitCheckout {
  files: Map<string, string>;
  pushes: { base: string; branch: string; message: string; paths: string[]; force?: boolean }[];
  opened: { url: string; token: string }[];
}

export function fakeCheckout(files: Record<string, string> = {}): {
  checkout: FakeCheckout;
  open: OpenCheckout;
} {
  const checkout: FakeCheckout = {
    files: new Map(Object.entries(files)),
    pushes: [],
    opened: [],
    async readFile(ref, path) {
      return checkout.files.get(`${ref}:${path}`);
    },
    async commitAndPush(options) {
      checkout.pushes.push({
        base: options.base,
        branch: options.branch,
        message: options.message,
        paths: options.changes.map((c) => c.path),
        ...(options.force !== undefined ? { force: options.force } : {}),
      });
      return { sha: "d".repeat(40), pushed: true };
    },
    async isAncestor(a, b) {
      return a === b || b.startsWith(a);
    },
    async fetch() {},
    async headOf(branch) {
      return `${branch}-head`;
    },
  };
  return {
    checkout,
    open: async (remote) => {
      checkout.opened.push(remote);
      return checkout;
    },
  };
}
