import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/rollout/parse-command.js";

describe("parseCommand: first line, exact command", () => {
  it.each([
    ["/approve wave-2", { name: "approve", wave: "wave-2" }],
    ["  /approve canary  ", { name: "approve", wave: "canary" }],
    ["/retry wave-1\nbecause the metrics were flaky", { name: "retry", wave: "wave-1" }],
    ["/hold", { name: "hold" }],
    ["/resume\r\nthanks", { name: "resume" }],
    ["/rollback", { name: "rollback" }],
    ["/approve", undefined],
    ["/approve wave-2 please", undefined],
    ["/approve Wave-2", undefined],
    ["please /approve wave-2", undefined],
    ["LGTM\n/approve wave-2", undefined],
    ["/hold now", undefined],
    ["/rollbacks", undefined],
    ["/deploy wave-2", undefined],
    ["", undefined],
  ])("%j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });
});
