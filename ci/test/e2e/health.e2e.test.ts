/**
 * hello-ci health-check, the built CLI, against real things: the backend under uvicorn with PostgreSQL and Redis behind
 * the project's nginx, a loopback server that answers slowly, https servers with certificates made here, a closed port
 * and a name that cannot resolve. The database-stopped case runs last (it stops PostgreSQL by PID).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthReportSchema, type HealthReport } from "../../src/schemas/health.js";
import { json, runCli } from "../support/cli.js";
import { createTestCa, freePort, removeDir, startSlowServer, startStack, startTlsServer, type Stack, type TestCa, type TestServer } from "../support/stack.js";

let stack: Stack;
let slow: TestServer;
let ca: TestCa;
const servers: TestServer[] = [];
const dir = mkdtempSync(join(tmpdir(), "hello-health-e2e-"));
let configFile: string;

const report = (result: Parameters<typeof json>[0]): HealthReport => healthReportSchema.parse(json(result));
const failed = (r: HealthReport, check: string) => r.checks.find((c) => c.name === check)?.assertions.filter((a) => !a.ok) ?? [];

beforeAll(async () => {
  [stack, slow, ca] = await Promise.all([startStack({ nginx: true }), startSlowServer(500), createTestCa()]);
  const base = stack.nginx?.url as string;
  configFile = join(dir, "environments.yaml");
  // The shipped file's shape, pointed at the local stack (through nginx, as the public URLs are).
  const shipped = readFileSync(new URL("../../config/environments.yaml", import.meta.url), "utf8");
  const local = shipped
    .replace(/https:\/\/staging\.helloagents\.example/g, base)
    .replace("budget: 1500ms", "budget: 5s")
    .replace("samples: 3", "samples: 2");
  writeFileSync(configFile, local);
}, 120_000);

afterAll(async () => {
  await Promise.all([stack?.stop(), slow?.stop(), ...servers.map((s) => s.stop())]);
  removeDir(dir);
  if (ca) removeDir(dirname(ca.certFile));
});

describe("health-check against the real stack", () => {
  it("passes a healthy stack through the environments configuration, with a report", async () => {
    const out = join(dir, "health.md");
    const result = await runCli(["health-check", "--env", "staging", "--config", configFile, "--json", "--report", out]);
    const r = report(result);
    expect(r.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["backend-liveness", "pass"],
      ["backend-database", "pass"],
      ["backend-cache", "pass"],
      ["frontend", "pass"],
    ]);
    expect(r.verdict).toBe("pass");
    expect(result.code).toBe(0);
    expect(r.checks[1]?.latenciesMs).toHaveLength(2);
    expect(readFileSync(out, "utf8")).toContain("**Verdict: ✅ pass** · 4 checks");
  });

  it("checks an ad-hoc URL (the README example)", async () => {
    const result = await runCli(["health-check", "--url", `${stack.backend.url}/health`, "--json"]);
    expect(result.code).toBe(0);
    expect(report(result)).toMatchObject({ verdict: "pass", checks: [{ url: `${stack.backend.url}/health`, verdict: "pass", attempts: 1 }] });
  });

  it("exits 2 for an unknown environment, listing the known ones", async () => {
    const result = await runCli(["health-check", "--env", "qa", "--config", configFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown environment "qa"; known environments: production, staging');
  });
});

describe("health-check failure paths", () => {
  it("breaches the latency budget of a slow endpoint (500 ms answer, 200 ms budget)", async () => {
    const result = await runCli(["health-check", "--url", `${slow.url}/health`, "--budget", "200ms", "--json"]);
    const r = report(result);
    expect(result.code).toBe(1);
    expect(r.verdict).toBe("fail");
    const [latency] = failed(r, `${slow.url}/health`);
    expect(latency).toMatchObject({ assertion: "latency (ms)", expected: "< 200", ok: false });
    expect(latency?.observed).toBeGreaterThanOrEqual(500);
  });

  it("breaches a p95 budget over samples, and passes a generous one", async () => {
    const breach = report(await runCli(["health-check", "--url", slow.url, "--samples", "3", "--budget", "10s", "--percentile", "p95 < 300ms", "--json"]));
    expect(failed(breach, slow.url).map((a) => a.assertion)).toEqual(["p95 latency (ms)"]);
    const held = await runCli(["health-check", "--url", slow.url, "--samples", "2", "--budget", "10s", "--percentile", "p95 < 5s", "--json"]);
    expect(held.code).toBe(0);
  });

  it("exits 3 with a clear message when the port refuses connections", async () => {
    const port = await freePort();
    const result = await runCli(["health-check", "--url", `http://127.0.0.1:${port}/health`, "--retries", "1", "--json"]);
    expect(result.code).toBe(3);
    const r = report(result);
    expect(r).toMatchObject({ verdict: "unreachable", checks: [{ attempts: 2, error: { kind: "refused", message: `connection refused by 127.0.0.1:${port} (ECONNREFUSED)` } }] });
    expect(result.stderr).toContain("nothing answered");
    // progress while it waits: one line per retry, on stderr, so the JSON on stdout stays parseable
    expect(result.stderr).toContain(`health-check: http://127.0.0.1:${port}/health: attempt 1 of 2 failed (connection refused by 127.0.0.1:${port} (ECONNREFUSED)); retrying in 250 ms`);
  });

  it("exits 3 on a DNS failure, without retrying a name that does not exist", async () => {
    const result = await runCli(["health-check", "--url", "http://nonexistent.invalid/", "--json"]);
    expect(result.code).toBe(3);
    expect(report(result).checks[0]).toMatchObject({ attempts: 1, error: { kind: "dns", message: "DNS lookup failed for nonexistent.invalid (ENOTFOUND)" } });
  });

  it("exits 1, not 3, when one check answered and another did not", async () => {
    const result = await runCli(["health-check", "--url", `${stack.backend.url}/health`, "http://nonexistent.invalid/", "--json"]);
    expect(result.code).toBe(1);
    expect(report(result).checks.map((c) => c.verdict)).toEqual(["pass", "unreachable"]);
  });

  it("gives up at the deadline", async () => {
    const result = await runCli(["health-check", "--url", slow.url, "--deadline", "200ms", "--json"]);
    expect(result.code).toBe(3);
    expect(report(result).checks[0]?.error?.kind).toBe("timeout");
  });
});

describe("health-check TLS certificates (generated here, signed by a test CA)", () => {
  const tls = async (expiresInDays: number, hostnames?: string[]) => {
    const server = await startTlsServer({ ca, expiresInDays, ...(hostnames ? { hostnames } : {}) });
    servers.push(server);
    return runCli(["health-check", "--url", `${server.url}/health`, "--ca", ca.certFile, "--json"]);
  };

  it("passes a certificate with 90 days left", async () => {
    const result = await tls(90);
    expect(result.code).toBe(0);
    expect(report(result).verdict).toBe("pass");
  });

  it("warns (exit 0, verdict warn) when the certificate expires in 5 days", async () => {
    const result = await tls(5);
    const r = report(result);
    expect(result.code).toBe(0);
    expect(r.verdict).toBe("warn");
    const [days] = failed(r, r.checks[0]?.name ?? "");
    expect(days).toMatchObject({ assertion: "tls.daysToExpiry", expected: ">= 21", severity: "warn" });
    expect(days?.observed).toBeGreaterThan(4.9);
    expect(days?.observed).toBeLessThanOrEqual(5);
  });

  it("fails an expired certificate", async () => {
    const result = await tls(-2);
    const r = report(result);
    expect(result.code).toBe(1);
    expect(r.verdict).toBe("fail");
    const problems = failed(r, r.checks[0]?.name ?? "").map((a) => a.assertion);
    expect(problems).toEqual(expect.arrayContaining(["response", "tls.daysToExpiry", "tls.chain"]));
    expect(r.checks[0]?.error).toMatchObject({ kind: "tls", message: expect.stringContaining("CERT_HAS_EXPIRED") });
  });

  it("fails a certificate issued for another hostname", async () => {
    const result = await tls(90, ["other.example"]);
    const r = report(result);
    expect(result.code).toBe(1);
    expect(failed(r, r.checks[0]?.name ?? "")).toEqual(
      expect.arrayContaining([expect.objectContaining({ assertion: "tls.hostname", expected: "covers localhost", observed: "DNS:other.example", ok: false })]),
    );
  });
});

describe("health-check when the database is down (runs last: stops PostgreSQL)", () => {
  it("fails /health/db with the observed status, exit 1, while liveness and cache still pass", async () => {
    await stack.postgres.stop();
    const result = await runCli(["health-check", "--env", "staging", "--config", configFile, "--json", "--samples", "1"]);
    const r = report(result);
    expect(result.code).toBe(1);
    expect(r.verdict).toBe("fail");
    expect(r.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["backend-liveness", "pass"],
      ["backend-database", "fail"],
      ["backend-cache", "pass"],
      ["frontend", "pass"],
    ]);
    expect(failed(r, "backend-database").map((a) => [a.assertion, a.observed])).toEqual([
      ["status", 503],
      ["$.status", "fail"],
      ['$.checks["postgres:connection"][0].status', "fail"],
    ]);
    expect(result.stdout).not.toContain("hello-ci: internal error");
  });
});
