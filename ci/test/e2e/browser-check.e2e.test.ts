/**
 * hello-ci browser-check, the built CLI with the real headless Chromium (/usr/bin/chromium or CHROMIUM_PATH), against
 * small console-like pages this file serves on loopback: a strict CSP header, a health badge an external script sets,
 * and one flaw per page (a failing badge, an inline script the CSP blocks, a console.error).
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserCheckReportSchema } from "../../src/schemas/browser-check.js";
import { json, runCli } from "../support/cli.js";
import { freePort } from "../support/stack.js";
import { tempDir } from "../support/temp.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What each page's external script does once the "API" answered: the badge's status (and title), an extra line. */
const SCENARIOS: Record<string, { status: string; title?: string; extra?: string; inline?: boolean }> = {
  good: { status: "pass" },
  "badge-fail": { status: "fail", title: "HTTP 503 from /api/health" },
  "inline-script": { status: "pass", inline: true },
  "console-error": { status: "pass", extra: 'console.error("boom from the console");' },
};

function page(name: string): string {
  const scenario = SCENARIOS[name]!;
  const inline = scenario.inline ? "<script>document.title = 'inline ran';</script>" : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>HelloAgents</title>${inline}<script src="/${name}/app.js" defer></script></head>
<body><h1>HelloAgents</h1><p>API health: <span data-testid="health-status" data-status="checking">checking</span></p></body></html>`;
}

function script(name: string): string {
  const s = SCENARIOS[name]!;
  return `fetch("/api/health").then((r) => r.json()).then((h) => {
  const badge = document.querySelector('[data-testid="health-status"]');
  badge.dataset.status = ${JSON.stringify(s.status)}; badge.textContent = ${JSON.stringify(s.status)};
  ${s.title ? `badge.title = ${JSON.stringify(s.title)};` : ""}
  const v = document.createElement("span"); v.dataset.testid = "health-version"; v.textContent = " v" + h.version; badge.after(v);
  ${s.extra ?? ""}
});`;
}

let server: Server;
let base: string;
const dir = tempDir("browser-check-");

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const [, name, file] = path.split("/");
    res.setHeader("content-security-policy", CSP);
    if (path === "/api/health") return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"pass","version":"1.2.3"}');
    if (path === "/favicon.ico") return res.writeHead(204).end();
    if (name && name in SCENARIOS && file === "") return res.writeHead(200, { "content-type": "text/html" }).end(page(name));
    if (name && name in SCENARIOS && file === "app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script(name));
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const check = (url: string, report: string, ...more: string[]) => runCli(["browser-check", "--url", url, "--timeout", "15s", "--report", report, "--json", ...more], { env: { CHROMIUM_PATH: CHROMIUM } });

describe("browser-check against loopback pages in headless Chromium", () => {
  it("passes a console whose badge shows pass under a strict CSP, and writes the report and a full-page screenshot", async () => {
    const out = join(dir, "good");
    const result = await check(`${base}/good/`, out);
    expect(result.code, result.stderr).toBe(0);
    const report = browserCheckReportSchema.parse(json(result));
    expect(report).toMatchObject({ verdict: "pass", reasons: [], page: { status: 200, csp: CSP }, badge: { found: true, status: "pass", version: "v1.2.3" }, screenshot: "screenshot.png" });
    expect(report.consoleErrors).toEqual([]);
    expect(browserCheckReportSchema.parse(JSON.parse(readFileSync(join(out, "browser-check.json"), "utf8")))).toEqual(report);
    expect(readFileSync(join(out, "screenshot.png")).subarray(0, 8)).toEqual(PNG_MAGIC);
    // One progress line per stage on stderr; stdout is only the JSON.
    expect(result.stderr.split("\n").filter((l) => l.startsWith("browser-check: ")).map((l) => l.split(" ").slice(1, 3).join(" "))).toEqual([
      "starting Chromium",
      "loading http://127.0.0.1:" + base.split(":")[2] + "/good/",
      "HTTP 200;",
      "taking a",
      "report written",
    ]);
  }, 60_000);

  it("fails (exit 1) when the badge shows fail, naming it, with the screenshot of the failure", async () => {
    const out = join(dir, "badge-fail");
    const result = await check(`${base}/badge-fail/`, out);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('hello-ci: browser-check: fail: API health badge shows "fail", expected "pass" (HTTP 503 from /api/health)');
    expect(browserCheckReportSchema.parse(json(result))).toMatchObject({ verdict: "fail", badge: { status: "fail" } });
    expect(readFileSync(join(out, "screenshot.png")).subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(JSON.parse(readFileSync(join(out, "browser-check.json"), "utf8"))).toMatchObject({ verdict: "fail" });
  }, 60_000);

  it("fails (exit 1) on an inline script the page's own CSP blocks, naming the violation", async () => {
    const result = await check(`${base}/inline-script/`, join(dir, "inline"));
    expect(result.code, result.stderr).toBe(1);
    const report = browserCheckReportSchema.parse(json(result));
    expect(report.cspViolations).toEqual([expect.stringMatching(/^script-src(-elem)? blocked inline/)]);
    expect(report.reasons[0]).toMatch(/^CSP violation: script-src(-elem)? blocked inline/);
    expect(result.stderr).toMatch(/hello-ci: browser-check: fail: CSP violation: script-src/);
  }, 60_000);

  it("fails (exit 1) on a console.error, quoting it", async () => {
    const result = await check(`${base}/console-error/`, join(dir, "console"));
    expect(result.code, result.stderr).toBe(1);
    expect(browserCheckReportSchema.parse(json(result)).reasons).toEqual(["console error: boom from the console"]);
  }, 60_000);

  it("exits 3 when nothing listens, still writing the report", async () => {
    const out = join(dir, "closed");
    const result = await check(`http://127.0.0.1:${await freePort()}/`, out);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/hello-ci: browser-check: nothing answered: page load: net::ERR_CONNECTION_REFUSED/);
    expect(JSON.parse(readFileSync(join(out, "browser-check.json"), "utf8"))).toMatchObject({ verdict: "unreachable", page: { status: null } });
  }, 60_000);

  it.each([
    [["--url", "ftp://example.com/"], "hello-ci: browser-check: --url: must be an http:// or https:// URL"],
    [["--url", "http://127.0.0.1:9/", "--chromium", "/nonexistent/chromium"], "hello-ci: browser-check: --chromium: no Chromium at /nonexistent/chromium (install it (apt-get install -y chromium) or point --chromium or CHROMIUM_PATH at one)"],
  ])("exits 2 on %j with one line", async (args, line) => {
    const result = await runCli(["browser-check", ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(line);
    expect(result.stdout).toBe("");
  });
});
