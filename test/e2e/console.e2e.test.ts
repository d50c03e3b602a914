/**
 * Platform end-to-end: the real stack (PostgreSQL, Redis, the backend under uvicorn, the built console behind nginx
 * with the project's own template) and a headless Chromium. Proves the /api/ proxy, the CSP, the SPA fallback and the
 * database wiring together, and that the console renders the agent `hello-ci smoke --write --keep` created.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import buildHelloCi from "../../ci/test/support/build.js";
import { runCli } from "../../ci/test/support/cli.js";
import { ciRoot, startNginx, startStack, type Stack } from "../../ci/test/support/stack.js";
import { securityHeaders } from "../../frontend/scripts/frontend-urls.mjs";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/**
 * The CSP the project declares for the console's VITE_API_URL/VITE_WS_URL, which nginx must serve verbatim: the
 * committed frontend/nginx/security-headers.conf with connect-src set by frontend/scripts/frontend-urls.mjs (what the
 * image's build stage and render-nginx write).
 */
function projectCsp(urls: { apiUrl?: string; wsUrl?: string } = {}): string {
  const conf: string = securityHeaders(urls);
  const csp = /add_header\s+Content-Security-Policy\s+"([^"]+)"/.exec(conf)?.[1];
  if (!csp) throw new Error("frontend/nginx/security-headers.conf declares no Content-Security-Policy");
  return csp;
}

interface Watched {
  page: Page;
  cspViolations: () => Promise<string[]>;
  consoleErrors: string[];
}

let stack: Stack;
let browser: Browser;
let base: string;

async function openPage(viewport?: { width: number; height: number }): Promise<Watched> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  // Record CSP violations from the first script on (the event fires in the page, so collect it there; the
  // script is a string because this file is type-checked without the DOM library).
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " blocked " + e.blockedURI));`,
  });
  const cspViolations = async (): Promise<string[]> => {
    const seen: unknown = await page.evaluate("window.__csp");
    if (!Array.isArray(seen) || !seen.every((v) => typeof v === "string")) throw new Error(`CSP recorder missing: ${JSON.stringify(seen)}`);
    return seen;
  };
  return { page, consoleErrors, cspViolations };
}

async function createAgent(name: string, model = "gpt-e2e"): Promise<{ id: string; name: string }> {
  const res = await fetch(`${base}/api/agents`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, provider: "openai", model, system_prompt: "end-to-end" }),
  });
  expect(res.status, "POST /api/agents through nginx").toBe(201);
  return (await res.json()) as { id: string; name: string };
}

async function deleteAgent(id: string): Promise<void> {
  const res = await fetch(`${base}/api/agents/${id}`, { method: "DELETE" });
  expect(res.status, `DELETE /api/agents/${id} through nginx`).toBe(204);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(join(ciRoot, "dist", "cli.js"))) buildHelloCi();
  [stack, browser] = await Promise.all([startStack({ nginx: true }), chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true })]);
  base = stack.nginx?.url as string;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("console end-to-end (nginx + backend + PostgreSQL + Redis + Chromium)", () => {
  it("serves the project's CSP and renders an agent created through the /api/ proxy, with the health badge", async () => {
    const agent = await createAgent(`e2e-${Date.now()}`);
    const { page, cspViolations, consoleErrors } = await openPage();
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"];
    expect(csp, "CSP header served by nginx").toBe(projectCsp());
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("; connect-src 'self'; ");

    await expect.poll(() => page.getByTestId("health-status").getAttribute("data-status"), { timeout: 10_000 }).toBe("pass");
    const row = page.getByTestId("agent-row").filter({ hasText: agent.name });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute("data-agent-id")).toBe(agent.id);
    expect(await cspViolations(), "CSP violations").toEqual([]);
    expect(consoleErrors, "console errors").toEqual([]);
    await page.close();
    await deleteAgent(agent.id);
  });

  it("fits a 390 px wide phone: no sideways scrolling, every Delete button inside the agents card", async () => {
    // Underscores do not offer a line break: the worst case for a long name.
    const agent = await createAgent(`e2e_narrow_${Date.now()}_customer_support_triage_agent_for_emea`, "gpt-4o-mini-2024-07-18-extended-context-preview");
    const { page, cspViolations, consoleErrors } = await openPage({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await page.getByTestId("agent-row").filter({ hasText: agent.name }).waitFor({ timeout: 10_000 });

    const widths = (await page.evaluate("({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })")) as { scroll: number; client: number };
    expect(widths.client).toBe(390);
    expect(widths.scroll, "page width (document scrollWidth) at a 390 px viewport").toBeLessThanOrEqual(widths.client);

    const card = await page.locator("section", { has: page.getByTestId("agent-row") }).boundingBox();
    expect(card, "the agents card").not.toBeNull();
    const rows = await page.getByTestId("agent-row").all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const name = (await row.getAttribute("data-agent-id")) ?? "?";
      const button = await row.getByRole("button", { name: /^Delete / }).boundingBox();
      expect(button, `Delete button of ${name}`).not.toBeNull();
      const inside = button!.x >= card!.x && button!.y >= card!.y && button!.x + button!.width <= card!.x + card!.width && button!.y + button!.height <= card!.y + card!.height;
      expect(inside, `Delete button of ${name} ${JSON.stringify(button)} inside the card ${JSON.stringify(card)}`).toBe(true);
    }
    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
    await deleteAgent(agent.id);
  });

  it("serves a connect-src listing the API and WebSocket origins the console was configured with, and enforces it", async () => {
    const urls = { apiUrl: "https://api.example.test", wsUrl: "wss://ws.example.test/socket" };
    const nginx = await startNginx({ backendPort: stack.backend.port, ...urls });
    try {
      const { page, cspViolations } = await openPage();
      const response = await page.goto(`${nginx.url}/`);
      expect(response?.status()).toBe(200);
      const csp = response?.headers()["content-security-policy"] ?? "";
      expect(csp, "CSP header served by nginx").toBe(projectCsp(urls));
      expect(csp.split("; ").filter((d) => d.startsWith("connect-src"))).toEqual(["connect-src 'self' https://api.example.test wss://ws.example.test"]);
      expect(csp.replace(" https://api.example.test wss://ws.example.test", ""), "every other directive as committed").toBe(projectCsp());
      await expect.poll(() => page.getByTestId("health-status").getAttribute("data-status"), { timeout: 10_000 }).toBe("pass");

      // Chromium enforces it: the configured origins may be contacted (nothing answers: no violation), others may not.
      await page.evaluate(`
        for (const url of ["https://api.example.test/api/health", "https://elsewhere.example.test/api/health"]) fetch(url).catch(() => {});
        for (const url of ["wss://ws.example.test/socket", "wss://elsewhere.example.test/socket"]) { try { new WebSocket(url).onerror = () => {}; } catch {} }
      `);
      await expect.poll(async () => (await cspViolations()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      await page.waitForTimeout(500); // a violation for a configured origin would have been reported by now
      const violations = await cspViolations();
      expect(violations, "CSP violations").toHaveLength(2);
      expect(violations.every((v) => v.startsWith("connect-src blocked ") && v.includes("elsewhere.example.test")), violations.join("\n")).toBe(true);
      await page.close();
    } finally {
      await nginx.stop();
    }
  });

  it("renders the SPA on a deep link (nginx falls back to index.html)", async () => {
    const { page, cspViolations, consoleErrors } = await openPage();
    const response = await page.goto(`${base}/agents/some/deep/link`);
    expect(response?.status(), "deep link status").toBe(200);
    expect(response?.headers()["content-type"]).toContain("text/html");
    await expect.poll(() => page.getByTestId("health-status").getAttribute("data-status"), { timeout: 10_000 }).toBe("pass");
    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("renders the agent `hello-ci smoke --write --keep` created, then cleans it up", async () => {
    const result = await runCli(["smoke", "--url", base, "--write", "--keep", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { verdict: string; agent: { name: string; id: string; kept: boolean } };
    expect(out).toMatchObject({ verdict: "pass", agent: { kept: true } });

    const { page } = await openPage();
    await page.goto(`${base}/`);
    const row = page.getByTestId("agent-row").filter({ hasText: out.agent.name });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute("data-agent-id")).toBe(out.agent.id);
    await page.close();

    await deleteAgent(out.agent.id);
    const left = (await (await fetch(`${base}/api/agents?limit=100`)).json()) as { items: { name: string }[] };
    expect(left.items.filter((a) => a.name.startsWith("smoke-"))).toEqual([]);
  });
});
