import { describe, expect, it } from "vitest";
import { main } from "./cli.js";
import { memoryIo } from "./io.js";
import { toolkitVersion } from "./version.js";

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(["node", "hello-ci", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

describe("hello-ci program", () => {
  it("prints help with the exit-code table and exits 0", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: hello-ci");
    expect(stdout).toContain("2 invalid input");
  });

  it.each([["--version"], ["-V"]])("prints its version with %s and exits 0", async (flag) => {
    const { code, stdout, stderr } = await run(flag);
    expect([code, stdout, stderr]).toEqual([0, `${toolkitVersion}\n`, ""]);
  });

  it("keeps --version free for the commands that take a release version", async () => {
    const { code, stdout } = await run("release-plan", "--version", "v1.2.3", "--sha", "0".repeat(40), "--image", "ghcr.io/a/b");
    expect(code).toBe(0);
    expect(stdout).toContain("version 1.2.3");
  });

  it("accepts --debug after the command as well as before it", async () => {
    for (const args of [["--debug", "scan-gate", "--report", "nope.json"], ["scan-gate", "--report", "nope.json", "--debug"]]) {
      const { code, stderr } = await run(...args);
      expect([code, stderr]).toEqual([2, "hello-ci: scan-gate: --report: cannot read nope.json: no such file or directory\n"]);
    }
  });
});

describe("hello-ci: every error is one `hello-ci: …` line on stderr, exit 2", () => {
  it.each([
    [["no-such-command"], /^hello-ci: unknown command 'no-such-command' \(run hello-ci --help for the commands\)\n$/],
    [["scan-gate", "--bogus"], /^hello-ci: scan-gate: unknown option '--bogus' \(run hello-ci scan-gate --help for its options\)\n$/],
    [["smoke", "--url-x", "http://a/"], /^hello-ci: smoke: unknown option '--url-x' \(Did you mean --url\?\) \(run hello-ci smoke --help for its options\)\n$/],
    [["scan-gate", "--report"], /^hello-ci: scan-gate: option '--report <file>' argument missing \(run hello-ci scan-gate --help for its options\)\n$/],
    [["scan-gate", "extra.json"], /^hello-ci: scan-gate: too many arguments for 'scan-gate'\. Expected 0 arguments but got 1\. \(run hello-ci scan-gate --help for its options\)\n$/],
    [["--bogus"], /^hello-ci: unknown option '--bogus' \(run hello-ci --help for the commands\)\n$/],
    [[], /^hello-ci: missing command: give one of release-plan, scan-gate, .*smoke, browser-check, render, deploy, rollback, status, scale-down, deploy-images, image-index \(run hello-ci --help for the commands\)\n$/],
  ])("%j", async (args, line) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(line);
  });
});
