/**
 * A canary credential planted in URLs (flags and the environments file) must not appear in anything hello-ci prints or
 * writes: JSON, text, Markdown reports, error lines and progress lines. The servers are real, on loopback.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";

const CANARY = "c4n4ry-S3cret-7f3a";
const dir = tempDir("redact-");
let server: Server;
let port: number;
let closed: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: req.url === "/health" ? "pass" : "fail" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closed = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(...args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(["node", "hello-ci", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

const withCanary = (p: number, path = "/health") => `http://ops:${CANARY}@127.0.0.1:${p}${path}`;

describe("credentials in URLs never reach an output (canary)", () => {
  it("health-check --json and its Markdown report show the URL without the credential", async () => {
    const result = await run("health-check", "--url", withCanary(port), "--json", "--report", "health.md");
    expect(result.code).toBe(0);
    const report = readFileSync(join(dir, "health.md"), "utf8");
    expect(JSON.parse(result.out)).toMatchObject({ verdict: "pass", checks: [{ name: `http://***@127.0.0.1:${port}/health`, url: `http://***@127.0.0.1:${port}/health` }] });
    expect(report).toContain(`http://***@127.0.0.1:${port}/health`);
    expect([result.out, result.err, report].join("\n")).not.toContain(CANARY);
  });

  it("health-check text output with a failed assertion", async () => {
    const result = await run("health-check", "--url", withCanary(port, "/other"), "--assert", '$.status == "pass"');
    expect(result.code).toBe(1);
    expect(result.out).toContain("***@127.0.0.1");
    expect(result.out + result.err).not.toContain(CANARY);
  });

  it("progress lines while retrying and the unreachable error", async () => {
    const result = await run("health-check", "--url", withCanary(closed), "--retries", "1", "--json");
    expect(result.code).toBe(3);
    expect(result.err).toContain(`health-check: http://***@127.0.0.1:${closed}/health: attempt 1 of 2 failed`);
    expect(result.out + result.err).not.toContain(CANARY);
  });

  it("an error line that echoes a flag value", async () => {
    const result = await run("health-check", "--url", withCanary(port), "--samples", withCanary(port));
    expect(result.code).toBe(2);
    expect(result.err).toContain("--samples: expected a whole number");
    expect(result.out + result.err).not.toContain(CANARY);
  });

  it("smoke --json and its report", async () => {
    const result = await run("smoke", "--url", withCanary(port, ""), "--json", "--report", "smoke.md", "--retries", "0");
    expect(result.code).toBe(1);
    const report = readFileSync(join(dir, "smoke.md"), "utf8");
    expect(report).toContain(`# Smoke report: http://***@127.0.0.1:${port}`);
    expect([result.out, result.err, report].join("\n")).not.toContain(CANARY);
  });

  it("URLs with credentials in the environments file", async () => {
    const file = join(dir, "envs.yaml");
    writeFileSync(file, `version: 1\nenvironments:\n  staging:\n    urls: { backend: "${withCanary(port, "")}" }\n    health: { checks: [{ name: api, target: backend, path: /health }] }\n`);
    const result = await run("health-check", "--env", "staging", "--config", file, "--json", "--report", "env.md");
    expect(result.code).toBe(0);
    const report = readFileSync(join(dir, "env.md"), "utf8");
    expect(JSON.parse(result.out)).toMatchObject({ checks: [{ name: "api", url: `http://***@127.0.0.1:${port}/health` }] });
    expect([result.out, result.err, report].join("\n")).not.toContain(CANARY);
  });
});
