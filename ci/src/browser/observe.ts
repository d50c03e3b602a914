/**
 * The browser I/O of `hello-ci browser-check`: headless Chromium (playwright-core, never a downloaded browser) loads the
 * console and records what a person's browser would show: the page load's status and CSP header, the API health badge,
 * console and page errors, CSP violations (a `securitypolicyviolation` listener installed before any page script),
 * failed requests, and a full-page screenshot. It judges nothing: core/browser/verdict.ts decides.
 */
import { chromium, type Browser, type Page, type Request, type Response } from "playwright-core";
import { z } from "zod";
import { redactUrl } from "../core/redact.js";
import type { BadgeObservation, BrowserObservations, FailedRequest } from "../schemas/browser-check.js";

export const BADGE_SELECTOR = '[data-testid="health-status"]';
export const VERSION_SELECTOR = '[data-testid="health-version"]';
/** The badge once the console has an answer (any `data-status` but the initial `checking`). */
const SETTLED_BADGE_SELECTOR = `${BADGE_SELECTOR}:not([data-status="checking"])`;
/** Where the page keeps the CSP violations it saw (read back after the badge settled). */
const CSP_RECORDER = "__helloCiCspViolations";
/** After the badge settled: wait this long at most for late requests and console messages. */
const SETTLE_MS = 2_000;
const VIEWPORT = { width: 1280, height: 800 };

export interface ObserveOptions {
  url: string;
  chromiumPath: string;
  /** For loading the page and waiting for the badge to settle. */
  timeoutMs: number;
  /** One line per stage, for stderr. */
  progress(line: string): void;
}

export interface Observed {
  observations: BrowserObservations;
  /** Full-page PNG, when the page could be captured. */
  screenshot: Buffer | undefined;
  /** Chromium's version. */
  browser: string;
}

/** Chromium could not be started (not a browser, missing libraries, no sandbox rights). */
export class BrowserLaunchFailed extends Error {}

const cspRecorder = `window.${CSP_RECORDER} = []; document.addEventListener("securitypolicyviolation", (e) => window.${CSP_RECORDER}.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + (e.sourceFile ? " (" + e.sourceFile + ":" + e.lineNumber + ")" : "")));`;

interface Recorder {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: FailedRequest[];
}

/** Record errors, failed requests and error responses (the page's own load is judged by its status, not here). */
function record(page: Page): Recorder {
  const rec: Recorder = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") rec.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => rec.pageErrors.push(error.message));
  page.on("requestfailed", (req: Request) => rec.failedRequests.push({ method: req.method(), url: redactUrl(req.url()), reason: req.failure()?.errorText ?? "failed" }));
  page.on("response", (res: Response) => {
    const req = res.request();
    if (res.status() >= 400 && !(req.isNavigationRequest() && req.frame() === page.mainFrame())) {
      rec.failedRequests.push({ method: req.method(), url: redactUrl(res.url()), reason: `HTTP ${res.status()}` });
    }
  });
  return rec;
}

/** The first line of a playwright error, without its `page.goto: ` prefix. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? text).replace(/^[a-zA-Z]+\.[a-zA-Z]+: /, "").trim();
}

async function readBadge(page: Page): Promise<BadgeObservation> {
  const badge = page.locator(BADGE_SELECTOR).first();
  if ((await badge.count()) === 0) return { found: false, status: null, version: null, detail: null };
  const version = page.locator(VERSION_SELECTOR).first();
  const versionText = (await version.count()) > 0 ? ((await version.textContent()) ?? "").trim() : "";
  return { found: true, status: await badge.getAttribute("data-status"), version: versionText || null, detail: await badge.getAttribute("title") };
}

async function readCspViolations(page: Page): Promise<string[]> {
  const seen = z.array(z.string()).safeParse(await page.evaluate(`window.${CSP_RECORDER}`).catch(() => undefined));
  return seen.success ? seen.data : ["the CSP recorder did not run (the page replaced window?)"];
}

async function launch(chromiumPath: string, timeoutMs: number): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"], timeout: timeoutMs });
  } catch (error) {
    throw new BrowserLaunchFailed(firstLine(error), { cause: error });
  }
}

/** Load `url` in a fresh headless Chromium and return what it saw; the browser is always closed. */
export async function observeConsole(options: ObserveOptions): Promise<Observed> {
  const deadline = Date.now() + options.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  options.progress(`browser-check: starting Chromium (${options.chromiumPath})`);
  const browser = await launch(options.chromiumPath, options.timeoutMs);
  try {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await page.addInitScript({ content: cspRecorder });
    const rec = record(page);
    options.progress(`browser-check: loading ${redactUrl(options.url)}`);
    let pageObs: BrowserObservations["page"];
    try {
      const response = await page.goto(options.url, { waitUntil: "domcontentloaded", timeout: remaining() });
      pageObs = response
        ? { status: response.status(), error: null, csp: (await response.allHeaders())["content-security-policy"] ?? null }
        : { status: null, error: "no response to the page load", csp: null };
    } catch (error) {
      pageObs = { status: null, error: firstLine(error), csp: null };
    }
    const answered = pageObs.status !== null;
    if (answered && pageObs.status! < 400) {
      options.progress(`browser-check: HTTP ${pageObs.status}; waiting for the API health badge`);
      await page.locator(SETTLED_BADGE_SELECTOR).first().waitFor({ state: "attached", timeout: remaining() }).catch(() => undefined);
      await page.waitForLoadState("networkidle", { timeout: Math.min(SETTLE_MS, remaining()) }).catch(() => undefined);
    }
    const badge = answered ? await readBadge(page) : { found: false, status: null, version: null, detail: null };
    const cspViolations = answered ? await readCspViolations(page) : [];
    options.progress("browser-check: taking a full-page screenshot");
    const screenshot = await page.screenshot({ fullPage: true, timeout: 10_000 }).catch(() => undefined);
    const observations: BrowserObservations = {
      url: redactUrl(options.url),
      page: pageObs,
      badge,
      consoleErrors: [...rec.consoleErrors],
      pageErrors: [...rec.pageErrors],
      cspViolations,
      // A page that did not load has nothing but its own failed load.
      failedRequests: answered ? [...rec.failedRequests] : [],
    };
    return { observations, screenshot, browser: browser.version() };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
