import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { browserCheckOptionsSchema } from "./browser-check.js";

const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const io = memoryIo({ env });
  const code = await main(["node", "hello-ci", "browser-check", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

const dir = tempDir("browser-check-args-");
const noChromium = ["--chromium", "/nonexistent/chromium"];

describe("browser-check: options", () => {
  it("defaults: 30s timeout, no report, text output, Chromium from the environment", () => {
    const options = browserCheckOptionsSchema.parse({ url: "https://staging.helloagents.example" });
    expect(options).toMatchObject({ timeout: 30_000, json: false });
    expect([options.report, options.chromium]).toEqual([undefined, undefined]);
    expect(browserCheckOptionsSchema.parse({ url: "http://127.0.0.1:8080/", timeout: "2m" }).timeout).toBe(120_000);
  });
});

describe("browser-check: invalid input exits 2 with one line, before any browser starts", () => {
  it.each([
    [[], "hello-ci: browser-check: --url: give either --url URL or --env NAME (exactly one)"],
    [["--url", "https://a.example", "--env", "staging"], "hello-ci: browser-check: --url: give either --url URL or --env NAME (exactly one)"],
    [["--url", "ftp://a.example"], "hello-ci: browser-check: --url: must be an http:// or https:// URL"],
    [["--url", "staging.helloagents.example"], "hello-ci: browser-check: --url: must be an http:// or https:// URL"],
    [["--url", "https://a.example", "--timeout", "30"], "hello-ci: browser-check: --timeout:"],
    [["--url", "https://a.example", "--timeout", "0s"], "hello-ci: browser-check: --timeout: must be greater than zero"],
    [["--env", "qa", ...noChromium], 'hello-ci: browser-check: --env: unknown environment "qa"'],
  ])("%j", async (args, line) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(line);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });

  it("names a missing browser and the fix, wherever its path came from", async () => {
    const given = await run(["--url", "https://a.example", ...noChromium]);
    expect(given.code).toBe(2);
    expect(given.stderr).toBe("hello-ci: browser-check: --chromium: no Chromium at /nonexistent/chromium (install it (apt-get install -y chromium) or point --chromium or CHROMIUM_PATH at one)\n");
    const fromEnv = await run(["--url", "https://a.example"], { CHROMIUM_PATH: "/opt/none/chromium" });
    expect(fromEnv.stderr).toContain("no Chromium at /opt/none/chromium (from CHROMIUM_PATH)");
  });

  it("resolves --env to the environment's urls.frontend (then stops at the missing browser)", async () => {
    const result = await run(["--env", "staging", ...noChromium]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--chromium: no Chromium");
  });

  it("refuses an environment without urls.frontend", async () => {
    const config = join(dir, "envs.yaml");
    writeFileSync(config, "version: 1\nenvironments:\n  api-only:\n    urls: { backend: http://127.0.0.1:1/api }\n    health: { checks: [{ name: b, target: backend, path: /health }] }\n");
    const result = await run(["--env", "api-only", "--config", config, ...noChromium]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hello-ci: browser-check: --env: environment "api-only" has no urls.frontend to load\n');
  });

  it("refuses a report directory that cannot be created", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const result = await run(["--url", "https://a.example", "--report", join(file, "sub"), "--chromium", process.execPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hello-ci: browser-check: --report: cannot create directory .*a-file\/sub: (a parent is not a directory|ENOTDIR|EEXIST)/);
  });
});
