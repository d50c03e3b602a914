import { describe, expect, it } from "vitest";
import { main } from "./cli.js";
import { memoryIo } from "./io.js";

describe("hello-ci program", () => {
  it("prints help with the exit-code table and exits 0", async () => {
    const io = memoryIo();
    const code = await main(["node", "hello-ci", "--help"], io);
    expect(code).toBe(0);
    expect(io.stdout).toContain("Usage: hello-ci");
    expect(io.stdout).toContain("2 invalid input");
  });

  it("exits 2 on an unknown command, naming it", async () => {
    const io = memoryIo();
    const code = await main(["node", "hello-ci", "no-such-command"], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/unknown command 'no-such-command'|too many arguments/);
  });
});
