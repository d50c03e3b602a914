/**
 * The post-deploy browser check's decision: from what headless Chromium observed of the console to a verdict and its
 * reasons. Rule order is the contract (and the order of the reasons):
 *   1. the page did not answer (refused, DNS, timeout)             → unreachable (exit 3), nothing else is judged;
 *   2. the page load's HTTP status is not 2xx                      → fail;
 *   3. no Content-Security-Policy header (violations would be invisible) → fail;
 *   4. the API health badge is missing, still `checking`, or not `pass` (warn is not pass: the brief is "shows pass") → fail;
 *      with an expected version (`--expect-version`, the release just deployed), a badge showing another version → fail;
 *   5. each CSP violation, page error, console error and failed request → fail, one reason each (at most
 *      MAX_PER_KIND of a kind, then "and N more").
 */
import type { BrowserObservations, BrowserVerdict } from "../../schemas/browser-check.js";

/** What the badge must show. */
export const EXPECTED_BADGE_STATUS = "pass";
/** Reasons listed per kind of problem before "… and N more". */
export const MAX_PER_KIND = 5;
/** Longest text kept of one console message or error. */
const MAX_TEXT = 240;

export interface BrowserDecision {
  verdict: BrowserVerdict;
  reasons: string[];
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

function listed(kind: string, items: readonly string[]): string[] {
  const shown = items.slice(0, MAX_PER_KIND).map((item) => `${kind}: ${clip(item)}`);
  return items.length > MAX_PER_KIND ? [...shown, `${kind}: … and ${items.length - MAX_PER_KIND} more`] : shown;
}

function badgeReason(badge: BrowserObservations["badge"]): string | undefined {
  if (!badge.found) return 'API health badge [data-testid="health-status"] not on the page (is this the HelloAgents console?)';
  if (badge.status === EXPECTED_BADGE_STATUS) return undefined;
  if (badge.status === null || badge.status === "checking") return `API health badge still "${badge.status ?? "checking"}" when the time ran out (the API did not answer in time)`;
  return `API health badge shows "${badge.status}", expected "${EXPECTED_BADGE_STATUS}"${badge.detail ? ` (${clip(badge.detail)})` : ""}`;
}

/** `v1.2.3` and `1.2.3` name the same release (the console shows `v` + the API's version). */
const bare = (version: string) => version.trim().replace(/^v/, "");

function versionReason(badge: BrowserObservations["badge"], expected: string | undefined): string | undefined {
  if (expected === undefined || badge.status !== EXPECTED_BADGE_STATUS) return undefined;
  if (badge.version === null) return `the console shows no API version, expected v${bare(expected)}`;
  if (bare(badge.version) === bare(expected)) return undefined;
  return `the console shows API version v${bare(badge.version)}, expected v${bare(expected)} (is the previous release still serving?)`;
}

/** Decide the verdict from the observations, and the version that must be live when one is expected (pure; rule order above). */
export function decideBrowserCheck(o: BrowserObservations, expectedVersion?: string): BrowserDecision {
  if (o.page.status === null) return { verdict: "unreachable", reasons: [`page load: ${clip(o.page.error ?? "no response")}`] };
  const reasons: string[] = [];
  if (o.page.status < 200 || o.page.status > 299) reasons.push(`page load: HTTP ${o.page.status}`);
  if (o.page.csp === null || o.page.csp.trim() === "") reasons.push("no Content-Security-Policy header on the page: CSP violations cannot be seen");
  const badge = badgeReason(o.badge);
  if (badge) reasons.push(badge);
  const version = versionReason(o.badge, expectedVersion);
  if (version) reasons.push(version);
  reasons.push(
    ...listed("CSP violation", o.cspViolations),
    ...listed("page error", o.pageErrors),
    ...listed("console error", o.consoleErrors),
    ...listed("request failed", o.failedRequests.map((r) => `${r.method} ${r.url}: ${r.reason}`)),
  );
  return { verdict: reasons.length === 0 ? "pass" : "fail", reasons };
}

/** One line for people: `pass: API health badge pass (v1.2.3)` or `fail: reason; reason`. */
export function summarizeBrowserCheck(decision: BrowserDecision, badge: BrowserObservations["badge"]): string {
  if (decision.verdict === "pass") return `pass: API health badge ${EXPECTED_BADGE_STATUS}${badge.version ? ` (${badge.version})` : ""}, no console errors, no CSP violations`;
  return `${decision.verdict}: ${decision.reasons.join("; ")}`;
}

/** The exit code of a verdict: pass 0, fail 1, unreachable 3. */
export function browserExitCode(verdict: BrowserVerdict): number {
  return verdict === "pass" ? 0 : verdict === "fail" ? 1 : 3;
}
