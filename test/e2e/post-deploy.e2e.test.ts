/**
 * The post-deploy browser check against the real local stack: `hello-ci browser-check` (the built CLI, headless
 * Chromium) loads the built console behind nginx with the project's template and CSP, proxying /api/ to the backend
 * under uvicorn with PostgreSQL and Redis, exactly as deploy.yml runs it against an environment's public URL.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import buildHelloCi from "../../ci/test/support/build.js";
import { json, runCli } from "../../ci/test/support/cli.js";
import { ciRoot, startStack, type Stack } from "../../ci/test/support/stack.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Report {
  schema: string;
  verdict: string;
  reasons: string[];
  page: { status: number; csp: string | null };
  badge: { status: string; version: string | null };
  consoleErrors: string[];
  cspViolations: string[];
  screenshot: string | null;
}

let stack: Stack;
let base: string;
let apiVersion: string;
const dir = mkdtempSync(join(tmpdir(), "post-deploy-"));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(join(ciRoot, "dist", "cli.js"))) buildHelloCi();
  stack = await startStack({ nginx: true });
  base = stack.nginx?.url as string;
  apiVersion = ((await (await fetch(`${stack.backend.url}/api/health`)).json()) as { version: string }).version;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("post-deploy browser check against the local stack (nginx + backend + PostgreSQL + Redis + Chromium)", () => {
  it("passes: the badge shows pass and the API's version, no console errors or CSP violations, a PNG screenshot", async () => {
    const out = join(dir, "url");
    const result = await runCli(["browser-check", "--url", `${base}/`, "--report", out, "--json"], { env: { CHROMIUM_PATH: CHROMIUM }, timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    const report = json(result) as Report;
    expect(report).toMatchObject({ schema: "hello-ci/browser-check@1", verdict: "pass", reasons: [], page: { status: 200 }, badge: { status: "pass" }, screenshot: "screenshot.png" });
    expect(report.badge.version).toBe(`v${apiVersion.replace(/^v/, "")}`);
    expect(report.page.csp).toContain("script-src 'self'");
    expect([report.consoleErrors, report.cspViolations]).toEqual([[], []]);
    expect([...readFileSync(join(out, "screenshot.png")).subarray(0, 8)]).toEqual(PNG_MAGIC);
    expect(JSON.parse(readFileSync(join(out, "browser-check.json"), "utf8"))).toEqual(report);
  }, 120_000);

  it("takes the URL from an environment's urls.frontend with --env, as deploy.yml does", async () => {
    const config = join(dir, "environments.yaml");
    writeFileSync(config, `version: 1\nenvironments:\n  local:\n    urls: { frontend: "${base}" }\n    health: { checks: [{ name: frontend, target: frontend, path: /health }] }\n`);
    const result = await runCli(["browser-check", "--env", "local", "--config", config], { env: { CHROMIUM_PATH: CHROMIUM }, timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`browser-check: ${base}: pass: API health badge pass (v${apiVersion.replace(/^v/, "")}), no console errors, no CSP violations`);
  }, 120_000);

  it("with --expect-version, as deploy.yml runs it: the running release passes, another one fails naming both (exit 1)", async () => {
    const live = `v${apiVersion.replace(/^v/, "")}`;
    const same = await runCli(["browser-check", "--url", base, "--expect-version", live, "--json"], { env: { CHROMIUM_PATH: CHROMIUM }, timeoutMs: 90_000 });
    expect(same.code, same.stderr).toBe(0);
    expect(json(same)).toMatchObject({ verdict: "pass", expectedVersion: live });
    const other = await runCli(["browser-check", "--url", base, "--expect-version", "v99.0.0", "--json"], { env: { CHROMIUM_PATH: CHROMIUM }, timeoutMs: 90_000 });
    expect(other.code, other.stderr).toBe(1);
    expect(json(other)).toMatchObject({ verdict: "fail", reasons: [`the console shows API version ${live}, expected v99.0.0 (is the previous release still serving?)`] });
  }, 120_000);
});
