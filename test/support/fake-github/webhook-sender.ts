/**
 * Delivers webhooks to the app like GitHub does: JSON POST with `X-GitHub-Event`,
 * `X-GitHub-Delivery` and an HMAC-SHA256 `X-Hub-Signature-256` over the exact body. Deliveries
 * go out one at a time in order; `duplicate` sends every delivery twice (same delivery id).
 */
import { createHmac, randomUUID } from "node:crypto";

export interface Delivery {
  id: string;
  event: string;
  action?: string;
  status: number | "error";
  attempt: number;
  /** When the POST started and when the app answered (epoch ms). */
  sentAt: number;
  answeredAt: number;
}

export class WebhookSender {
  url: string | undefined;
  duplicate = false;
  readonly deliveries: Delivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly secret: string) {}

  static sign(secret: string, body: string): string {
    return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }

  send(event: string, payload: Record<string, unknown>): void {
    if (!this.url) return;
    const url = this.url;
    const body = JSON.stringify(payload);
    const id = randomUUID();
    const action = typeof payload.action === "string" ? payload.action : undefined;
    const attempts = this.duplicate ? 2 : 1;
    this.pending += 1;
    this.queue = this.queue.then(async () => {
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let status: number | "error" = "error";
        const sentAt = Date.now();
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "user-agent": "GitHub-Hookshot/fake",
              "x-github-event": event,
              "x-github-delivery": id,
              "x-hub-signature-256": WebhookSender.sign(this.secret, body),
            },
            body,
            signal: AbortSignal.timeout(60_000),
          });
          status = response.status;
          await response.text();
        } catch {
          status = "error";
        }
        this.deliveries.push({
          id,
          event,
          ...(action ? { action } : {}),
          status,
          attempt,
          sentAt,
          answeredAt: Date.now(),
        });
      }
      this.pending -= 1;
    });
  }

  /** Resolves once every delivery queued so far has been answered. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }
}
