import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  assertStrictMocks,
  mockAccessToken,
  mockAppAuthenticated,
} from "../support/github-mocks.js";
import { startTestApp, WEBHOOK_SECRET } from "./app-harness.js";
import { INSTALLATION_ID, pushPayload } from "./webhook-fixtures.js";

const sign = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("webhook signature", () => {
  let server: Server | undefined;
  afterEach(async () => {
    assertStrictMocks();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("rejects a forged signature with 400 and changes nothing; accepts the real one", async () => {
    const app = await startTestApp();
    const middleware = await app.probot.getNodeMiddleware();
    server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const body = JSON.stringify(pushPayload({}));
    const post = (signature: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": "d-1",
          "x-hub-signature-256": signature,
        },
        body,
      });

    const forged = await post(sign("not-the-secret", body));
    expect(forged.status).toBe(400);
    expect(app.calls).toEqual([]);

    mockAppAuthenticated("waves");
    mockAccessToken(INSTALLATION_ID, "ghs_signaturetest0123456789abcdef");
    const genuine = await post(sign(WEBHOOK_SECRET, body));
    expect(genuine.status).toBe(200);
    expect(app.calls.map((c) => c.method)).toEqual(["handlePush"]);
  });
});
