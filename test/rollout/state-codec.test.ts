import { describe, expect, it } from "vitest";
import {
  decodeGate,
  decodeQueued,
  decodeState,
  encodeGate,
  encodeState,
  replaceState,
} from "../../src/rollout/state-codec.js";
import { capturingLogger } from "../../src/util/logger.js";
import { promotionMeta, revertMeta } from "./rollout-builders.js";

describe("state codec", () => {
  it("round-trips promotion and revert metadata at the end of a body", () => {
    const meta = promotionMeta("canary", { approvedBy: "alice" });
    expect(decodeState(`Some text\n\n${encodeState(meta)}\n`)).toEqual(meta);
    const revert = revertMeta({ notified: true });
    expect(decodeState(encodeState(revert))).toEqual(revert);
  });

  it("keeps the source repository when set; bodies without it still decode (same repository)", () => {
    const meta = promotionMeta("canary");
    expect(meta.source.repository).toBeUndefined();
    const old = `Body\n\n${encodeState(meta)}\n`;
    expect(decodeState(old)?.source).toEqual(meta.source);
    const cross = { ...meta, source: { ...meta.source, repository: "acme/fleet" } };
    expect(decodeState(encodeState(cross))?.source.repository).toBe("acme/fleet");
    const logger = capturingLogger();
    const forged = { ...meta, source: { ...meta.source, repository: "acme/fleet/../x y" } };
    expect(decodeState(encodeState(forged), logger)).toBeUndefined();
    expect(logger.lines.map((l) => l.message)).toEqual(["hidden state does not validate; ignored"]);
  });

  it("cannot be closed early by a value holding -->", () => {
    const meta = promotionMeta("canary", { approvedBy: "x --> <!-- waves:state {} -->" });
    const block = encodeState(meta);
    expect(block.indexOf("-->")).toBe(block.length - 3);
    expect(decodeState(block)?.kind).toBe("promotion");
  });

  it.each([
    ["no block", "just a body"],
    ["not JSON", "<!-- waves:state {nope -->"],
    ["wrong shape", '<!-- waves:state {"v":1,"kind":"promotion"} -->'],
    ["wrong version", encodeState(promotionMeta("canary")).replace('"v":1', '"v":2')],
    [
      "bad revision",
      encodeState(promotionMeta("canary")).replace(
        /"revision":"[0-9a-f]+"/,
        '"revision":"$(rm -rf /)"',
      ),
    ],
    ["unclosed", "<!-- waves:state {}"],
  ])("ignores a tampered body (%s) with a log, never throwing", (_, body) => {
    const logger = capturingLogger();
    expect(decodeState(body, logger, { pr: 4 })).toBeUndefined();
    for (const line of logger.lines) expect(line.fields).toMatchObject({ pr: 4 });
  });

  it("replaceState swaps only the block", () => {
    const body = `Intro\n\n${encodeState(promotionMeta("canary"))}\n`;
    const next = replaceState(body, promotionMeta("canary", { approvedBy: "bob" }));
    expect(next.startsWith("Intro\n\n<!-- waves:state ")).toBe(true);
    expect(decodeState(next)).toMatchObject({ approvedBy: "bob" });
    expect(replaceState("No block", promotionMeta("canary"))).toMatch(
      /^No block\n\n<!-- waves:state .* -->\n$/,
    );
  });

  it("round-trips the bake clock and rejects a forged one", () => {
    const clock = {
      startedAt: "2026-03-01T10:00:00.000Z",
      greenSince: "2026-03-01T10:05:00.000Z",
      failures: { "argocd-sync/a": 1 },
    };
    expect(decodeGate(`summary\n${encodeGate(clock)}`)).toEqual(clock);
    expect(
      decodeGate('<!-- waves:gate {"startedAt":"yesterday","failures":{}} -->'),
    ).toBeUndefined();
    expect(decodeQueued("<!-- waves:queued [] -->")).toBeUndefined();
  });
});
