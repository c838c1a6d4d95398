/**
 * Approvals in the demo: users' comments go through the real engine's `handleComment`. Without
 * `--interactive`, a wave waiting for approval first gets a refused attempt by a read-only user,
 * then the approver's `/approve`; with it, the person at the terminal types the command.
 */
import { handleComment, type RolloutEnv } from "../rollout/index.js";
import type { LocalScm } from "../scm/local/local-scm.js";
import type { DemoObserver } from "./demo-observer.js";
import { DEMO_APPROVER, DEMO_OUTSIDER } from "./demo-scm.js";

/** Virtual time the demo waits before approving, so people see the wave waiting. */
export const APPROVAL_DELAY_MS = 3 * 60_000;

export class DemoApprovals {
  private readonly waitingSince = new Map<string, number>();
  private readonly done = new Set<string>();

  constructor(
    private readonly env: RolloutEnv,
    private readonly scm: LocalScm,
    private readonly observer: DemoObserver,
    private ask?: (question: string) => Promise<string | undefined>,
  ) {}

  /** Acts on every wave that waits for approval now. */
  async tick(now: Date): Promise<void> {
    for (const view of this.observer.snapshot().waves) {
      if (view.phase !== "awaiting-approval" || view.pr === undefined) continue;
      if (this.done.has(view.name)) continue;
      if (this.ask) {
        const line = await this.ask(
          `\nwave ${view.name} waits for approval on PR #${view.pr}. Type a command as ${DEMO_APPROVER} (e.g. /approve ${view.name}, /hold, /rollback): `,
        );
        if (line === undefined) {
          // Input ended (a closed or piped stdin): approve as the demo does without a person.
          this.ask = undefined;
          this.observer.emit("comment", `no more input: ${DEMO_APPROVER} will approve`);
          continue;
        }
        const body = line.trim();
        if (body === "") continue;
        if ((await this.comment(view.pr, body, DEMO_APPROVER)) && body.startsWith("/approve")) {
          this.done.add(view.name);
          this.observer.approved(view.name, DEMO_APPROVER);
        }
        continue;
      }
      const seenAt = this.waitingSince.get(view.name) ?? now.getTime();
      this.waitingSince.set(view.name, seenAt);
      if (now.getTime() - seenAt < APPROVAL_DELAY_MS) continue;
      const body = `/approve ${view.name}`;
      await this.comment(view.pr, body, DEMO_OUTSIDER);
      if (await this.comment(view.pr, body, DEMO_APPROVER)) {
        this.observer.approved(view.name, DEMO_APPROVER);
      }
      this.done.add(view.name);
    }
  }

  /** Posts a user's comment and hands it to the engine; true when the command was accepted. */
  private async comment(pr: number, body: string, author: string): Promise<boolean> {
    this.observer.emit("comment", `${author} comments "${body}" on PR #${pr}`);
    // What the command sets off (a merge, the next gate) is shown after its verdict.
    this.observer.hold();
    let result: Awaited<ReturnType<typeof handleComment>>;
    try {
      result = await handleComment(this.env, {
        prNumber: pr,
        commentId: this.scm.addComment(pr, author, body),
        body,
        author,
        authorIsBot: false,
        action: "created",
      });
    } catch (error) {
      this.observer.releaseAfter("comment", `${author}'s ${body} failed`);
      throw error;
    }
    const accepted = result.status === "accepted";
    this.observer.releaseAfter(
      "comment",
      accepted ? `${author}'s ${body} accepted` : `${author}'s ${body} refused: ${result.reason}`,
    );
    return accepted;
  }
}
