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
    [["--url", "http://a/", "--timeout", "5"], 'health-check: --timeout: "5" has no unit: use a unit: 250ms, 5s, 2m'],
    [["--url", "http://a/", "--timeout", "72000m"], 'health-check: --timeout: "72000m" is too long: at most 1440m (24 hours)'],
    [["--url", "http://a/", "--deadline", "36000m"], 'health-check: --deadline: "36000m" is too long: at most 1440m (24 hours)'],
    [["--url", "http://a/", "--budget", "300"], 'health-check: --budget: "300" has no unit'],
    [["--url", "http://a/", "--percentile", "p95 < 300"], 'health-check: --percentile: "p95 < 300" is not a percentile budget'],
    [["--url", "http://a/", "--concurrency", "0"], "concurrency"],
    [["--url", "http://a/", "--assert", "$.status = 1"], "health-check: --assert: invalid condition"],
    [["--url", "http://a/", "--percentile", "p95 > 3"], "percentile"],
    [["--env", "qa"], 'health-check: --env: unknown environment "qa"; known environments: production, staging'],
    [["--url", "http://a/", "--tls-warn-days", "2", "--tls-fail-days", "5"], "health-check: --tls-warn-days: must be at least --tls-fail-days (5): warn before failing"],
    [["--url", "http://a/", "--tls-fail-days", "30"], "health-check: --tls-warn-days: must be at least --tls-fail-days (30): warn before failing"],
    [["--url", "http://a/", "--samples", "many"], 'health-check: --samples: expected a whole number from 1 to 1000, got "many"'],
    [["--url", "http://a/", "--tls-warn-days", "-1"], 'health-check: --tls-warn-days: expected a number of days (0 or more), got "-1"'],
    [["--url", "http://a/", "--ca", "/nonexistent/ca.pem"], "health-check: --ca: cannot read /nonexistent/ca.pem: no such file or directory"],
  ])("%j → %s", async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    ["--budget", "2s"],
    ["--assert", "$.status == \"pass\""],
    ["--status", "204"],
    ["--percentile", "p95 < 300ms"],
    ["--tls-warn-days", "30"],
    ["--tls-fail-days", "1"],
  ])("refuses the ad-hoc flag %s with --env instead of ignoring it", async (flag, value) => {
    const result = await run("--env", "staging", flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`hello-ci: health-check: ${flag}: cannot be combined with --env: an environment's checks take their budgets, assertions, status codes and TLS policy from the configuration\n`);
  });

  it("names the invalid field of a config file", async () => {
    const file = join(dir, "envs.yaml");
    writeFileSync(file, "version: 1\nenvironments:\n  staging:\n    urls: {}\n    helth: {}\n");
    const result = await run("--env", "staging", "--config", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is invalid: environments.staging.health:`);
    expect(result.stderr).toContain('Unrecognized key: "helth"');
  });

  it.each([
    ["a bare number", "timeout: 5000", 'environments.staging.health.timeout: 5000 has no unit: use a unit: 250ms, 5s, 2m'],
    ["a duration past 24 hours", "timeout: 72000m", 'environments.staging.health.timeout: "72000m" is too long: at most 1440m (24 hours)'],
  ])("refuses %s in the config file, naming the field", async (_name, line, message) => {
    const file = join(dir, "durations.yaml");
    writeFileSync(file, `version: 1\nenvironments:\n  staging:\n    urls: { backend: "http://127.0.0.1:9" }\n    health:\n      ${line}\n      checks: [{ name: b, target: backend, path: /health }]\n`);
    const result = await run("--env", "staging", "--config", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    ["a file that is not PEM", "this is not a certificate\n", "is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)"],
    ["a PEM block that is not a certificate", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", "certificate 1 does not parse"],
  ])("refuses --ca with %s (exit 2, before any request)", async (_name, text, message) => {
    const file = join(dir, "ca.pem");
    writeFileSync(file, text);
    const result = await run("--url", "http://127.0.0.1:9/", "--ca", file);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`hello-ci: health-check: --ca: ${file} ${message}`)).toBe(true);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
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
