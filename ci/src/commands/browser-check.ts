/**
 * hello-ci browser-check: the post-deploy browser check. Headless Chromium loads the console at a public URL (or an
 * environment's urls.frontend), waits for the API health badge to show `pass`, and fails on console or page errors,
 * CSP violations, failed requests, a missing CSP header or a page that did not load. --report DIR gets
 * browser-check.json (schema hello-ci/browser-check@1) and screenshot.png (full page), also when the check fails.
 * Exit 0 pass, 1 fail, 2 invalid input (a bad URL, no Chromium), 3 nothing answered.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { BrowserLaunchFailed, observeConsole } from "../browser/observe.js";
import { browserExitCode, decideBrowserCheck, summarizeBrowserCheck } from "../core/browser/verdict.js";
import { redactUrl } from "../core/redact.js";
import { BROWSER_CHECK_SCHEMA, type BrowserCheckReport } from "../schemas/browser-check.js";
import { httpUrlSchema, positiveDurationSchema } from "../schemas/primitives.js";
import { defineCommand, type CommandContext } from "./kit/define.js";
import { environmentFlags, loadEnvironment } from "./kit/environments.js";
import { defaultedFlag, flag, flagsObject, switchFlag } from "./kit/flags.js";

/** Where Chromium is looked for when neither --chromium nor CHROMIUM_PATH says (Debian's `chromium` package). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
export const REPORT_FILE = "browser-check.json";
export const SCREENSHOT_FILE = "screenshot.png";

const flags = {
  url: flag("<url>", "public URL of the console, e.g. https://staging.helloagents.example", httpUrlSchema.optional()),
  ...environmentFlags("check the environment's urls.frontend from the configuration"),
  expectVersion: flag("<version>", "the release that must be live, e.g. v1.2.3: the console must show this API version", z.string().regex(/^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, "must be a release version such as v1.2.3").optional()),
  timeout: defaultedFlag("<duration>", "to load the page and see the health badge settle", positiveDurationSchema, "30s"),
  report: flag("<dir>", `write ${REPORT_FILE} and ${SCREENSHOT_FILE} (full page) here, also when the check fails`, z.string().min(1).optional()),
  json: switchFlag(`print the verdict as JSON (schema ${BROWSER_CHECK_SCHEMA}) on stdout`),
  chromium: flag("<path>", `Chromium executable (default: $CHROMIUM_PATH, else ${DEFAULT_CHROMIUM})`, z.string().min(1).optional()),
};

export const browserCheckOptionsSchema = flagsObject(flags);
export type BrowserCheckOptions = z.infer<typeof browserCheckOptionsSchema>;
type Ctx = CommandContext<typeof flags>;

export const browserCheckCommand = defineCommand({
  name: "browser-check",
  description: "load the console in headless Chromium: the API health badge must show pass, with no console errors or CSP violations; screenshot",
  flags,
  schema: browserCheckOptionsSchema,
  oneOf: [{ flags: ["url", "env"], problem: "give either --url URL or --env NAME (exactly one)" }],
  exitCodes: "0 pass, 1 fail, 2 invalid input (bad URL, no Chromium), 3 nothing answered",
  run: runBrowserCheck,
});

/** --chromium, else CHROMIUM_PATH, else /usr/bin/chromium; one that is not there is invalid input naming the fix. */
export function chromiumPath(ctx: Ctx, given: string | undefined): string {
  const fromEnv = ctx.io.env["CHROMIUM_PATH"];
  const path = given ?? (fromEnv || DEFAULT_CHROMIUM);
  if (existsSync(path)) return path;
  const source = given !== undefined ? "" : fromEnv ? " (from CHROMIUM_PATH)" : " (the default)";
  throw ctx.optionError("chromium", `no Chromium at ${path}${source}`, "install it (apt-get install -y chromium) or point --chromium or CHROMIUM_PATH at one");
}

async function targetUrl(ctx: Ctx, options: BrowserCheckOptions): Promise<string> {
  if (options.url !== undefined) return options.url;
  const name = options.env as string;
  const url = (await loadEnvironment(ctx, { env: name, config: options.config })).urls["frontend"];
  if (!url) throw ctx.optionError("env", `environment ${JSON.stringify(name)} has no urls.frontend to load`);
  return url;
}

async function runBrowserCheck(ctx: Ctx, options: BrowserCheckOptions): Promise<void> {
  const { io } = ctx;
  const url = await targetUrl(ctx, options);
  const executable = chromiumPath(ctx, options.chromium);
  const reportDir = options.report !== undefined ? await ctx.makeDir("report", options.report) : undefined;
  const startedAt = io.now().toISOString();
  const started = performance.now();
  let seen;
  try {
    seen = await observeConsole({ url, chromiumPath: executable, timeoutMs: options.timeout, progress: (line) => io.err(line) });
  } catch (error) {
    if (!(error instanceof BrowserLaunchFailed)) throw error;
    throw ctx.optionError("chromium", `${executable} did not start: ${error.message}`, "install Chromium (apt-get install -y chromium) or point --chromium or CHROMIUM_PATH at a working one");
  }
  const decision = decideBrowserCheck(seen.observations, options.expectVersion);
  const screenshot = reportDir !== undefined && seen.screenshot !== undefined ? SCREENSHOT_FILE : null;
  const report: BrowserCheckReport = {
    schema: BROWSER_CHECK_SCHEMA,
    verdict: decision.verdict,
    expectedVersion: options.expectVersion ?? null,
    reasons: decision.reasons,
    ...seen.observations,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    browser: seen.browser,
    screenshot,
  };
  const json = JSON.stringify(report, null, 2);
  if (reportDir !== undefined) {
    if (screenshot !== null && seen.screenshot) await ctx.writeFile("report", join(reportDir, SCREENSHOT_FILE), seen.screenshot);
    await ctx.writeFile("report", join(reportDir, REPORT_FILE), `${json}\n`);
    io.err(`browser-check: report written to ${options.report}${screenshot ? ` (${REPORT_FILE}, ${SCREENSHOT_FILE})` : ` (${REPORT_FILE}; no screenshot could be taken)`}`);
  }
  const summary = summarizeBrowserCheck(decision, seen.observations.badge);
  io.out(options.json ? json : `browser-check: ${redactUrl(url)}: ${summary}`);
  if (decision.verdict === "fail") ctx.checkFailed(`browser-check: ${summary}`);
  if (decision.verdict === "unreachable") {
    io.err(`hello-ci: browser-check: nothing answered: ${decision.reasons.join("; ")}`);
    io.exitCode = browserExitCode(decision.verdict);
  }
}
