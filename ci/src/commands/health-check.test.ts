import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(["node", "hello-ci", "health-check", ...args], io);
  return { code, ...io };
};

const dir = tempDir("hc-");

describe("health-check: invalid input exits 2 before any request", () => {
  it.each([
    [[], "give either --url URL… or --env NAME"],
    [["--url", "http://a/", "--env", "staging"], "give either --url URL… or --env NAME"],
    [["--url", "ftp://a/"], "health-check: --url: must be an http:// or https:// URL"],
    [["--url", "http://a/", "--timeout", "soon"], 'health-check: --timeout: "soon" is not a duration'],
    [["--url", "http://a/", "--concurrency", "0"], "concurrency"],
    [["--url", "http://a/", "--assert", "$.status = 1"], "health-check: --assert: invalid condition"],
    [["--url", "http://a/", "--percentile", "p95 > 3"], "percentile"],
    [["--env", "qa"], 'unknown environment "qa"; known environments: production, staging'],
    [["--url", "http://a/", "--ca", "/nonexistent/ca.pem"], "health-check: --ca: cannot read /nonexistent/ca.pem: no such file or directory"],
  ])("%j → %s", async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("names the invalid field of a config file", async () => {
    const file = join(dir, "envs.yaml");
    writeFileSync(file, "version: 1\nenvironments:\n  staging:\n    urls: {}\n    helth: {}\n");
    const result = await run("--env", "staging", "--config", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is invalid: environments.staging.health:`);
    expect(result.stderr).toContain('Unrecognized key: "helth"');
  });

  it("says when the config file is missing", async () => {
    const result = await run("--env", "staging", "--config", "/nonexistent/envs.yaml");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("health-check: --config: cannot read /nonexistent/envs.yaml: no such file or directory");
  });

  it("documents warn = exit 0 in its help", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("0 pass or warn (JSON verdict says which)");
  });
});
