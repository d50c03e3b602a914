import { describe, expect, it } from "vitest";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";

describe("smoke: invalid input exits 2 before any request", () => {
  it.each([
    [[], "give either --url BASE or --env NAME"],
    [["--url", "http://a/", "--keep"], "smoke: --keep: only makes sense with --write"],
    [["--env", "production", "--write"], "smoke: --write: against production is refused"],
    [["--url", "nota url"], "smoke: --url: must be an http:// or https:// URL"],
    [["--env", "qa"], 'unknown environment "qa"'],
  ])("%j → %s", async (args, message) => {
    const io = memoryIo();
    const code = await main(["node", "hello-ci", "smoke", ...args], io);
    expect(code).toBe(2);
    expect(io.stderr).toContain(message);
  });
});
