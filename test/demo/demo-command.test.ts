import { describe, expect, it } from "vitest";
import { captureIo } from "../../src/cli/cli-io.js";
import { parseDemoArgs } from "../../src/cli/demo-command.js";
import { main } from "../../src/cli/main.js";

describe("waves demo flags", () => {
  it("has defaults that keep the demo under a minute", () => {
    expect(parseDemoArgs([])).toEqual({
      speed: 300,
      tickMs: 100,
      interactive: false,
      keep: false,
      seed: 1,
      clusters: 8,
      help: false,
    });
  });

  it("parses every flag", () => {
    expect(
      parseDemoArgs([
        "--speed=1000",
        "--break",
        "wave-1",
        "--interactive",
        "--report",
        "r.md",
        "--dir",
        "d",
        "--seed",
        "7",
        "--clusters",
        "12",
        "--tick-ms",
        "20",
      ]),
    ).toEqual({
      speed: 1000,
      tickMs: 20,
      breakWave: "wave-1",
      interactive: true,
      reportFile: "r.md",
      keep: true,
      dir: "d",
      seed: 7,
      clusters: 12,
      help: false,
    });
  });

  it.each([
    [["--speed", "fast"], "--speed must be a whole number from 1 to 100000, got 'fast'"],
    [["--speed", "0"], "--speed must be a whole number from 1 to 100000, got '0'"],
    [["--clusters", "2"], "--clusters must be a whole number from 3 to 60, got '2'"],
    [
      ["--break", "prod"],
      "--break must name a wave of the demo (canary, wave-1, wave-2), got 'prod'",
    ],
    [["--report", ""], "--report needs a file name"],
    [["--colour"], "Unknown option '--colour'"],
    [["--speed"], "Option '--speed <value>' argument missing"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("%j → exit 2 with a clear error", async (args, message) => {
    const io = captureIo();
    expect(await main(["demo", ...args], io)).toBe(2);
    expect(io.stderr()).toContain(`waves demo: ${message}`);
    expect(io.stderr()).toContain("usage: waves demo");
    expect(io.stdout()).toBe("");
  });

  it("--help prints usage and exits 0", async () => {
    const io = captureIo();
    expect(await main(["demo", "--help"], io)).toBe(0);
    expect(io.stdout()).toContain("--break <wave>");
  });
});
