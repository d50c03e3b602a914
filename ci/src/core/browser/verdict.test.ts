import { describe, expect, it } from "vitest";
import type { BrowserObservations } from "../../schemas/browser-check.js";
import { browserExitCode, decideBrowserCheck, MAX_PER_KIND, summarizeBrowserCheck } from "./verdict.js";

const good: BrowserObservations = {
  url: "https://staging.helloagents.example/",
  page: { status: 200, error: null, csp: "default-src 'self'; script-src 'self'" },
  badge: { found: true, status: "pass", version: "v1.2.3", detail: null },
  consoleErrors: [],
  pageErrors: [],
  cspViolations: [],
  failedRequests: [],
};

const with_ = (patch: Partial<BrowserObservations>): BrowserObservations => ({ ...good, ...patch });

describe("browser-check decision", () => {
  it("passes a page that loaded with a CSP, a pass badge and nothing in the console", () => {
    const decision = decideBrowserCheck(good);
    expect(decision).toEqual({ verdict: "pass", reasons: [] });
    expect(summarizeBrowserCheck(decision, good.badge)).toBe("pass: API health badge pass (v1.2.3), no console errors, no CSP violations");
    expect(browserExitCode(decision.verdict)).toBe(0);
  });

  it("is unreachable when nothing answered, and judges nothing else", () => {
    const decision = decideBrowserCheck(with_({ page: { status: null, error: "net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/", csp: null }, badge: { found: false, status: null, version: null, detail: null } }));
    expect(decision).toEqual({ verdict: "unreachable", reasons: ["page load: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/"] });
    expect(browserExitCode(decision.verdict)).toBe(3);
  });

  it.each([
    [{ page: { status: 502, error: null, csp: "default-src 'self'" } }, "page load: HTTP 502"],
    [{ page: { status: 200, error: null, csp: null } }, "no Content-Security-Policy header on the page: CSP violations cannot be seen"],
    [{ badge: { found: false, status: null, version: null, detail: null } }, 'API health badge [data-testid="health-status"] not on the page (is this the HelloAgents console?)'],
    [{ badge: { found: true, status: "checking", version: null, detail: null } }, 'API health badge still "checking" when the time ran out (the API did not answer in time)'],
    [{ badge: { found: true, status: "fail", version: null, detail: "HTTP 502 from /api/health" } }, 'API health badge shows "fail", expected "pass" (HTTP 502 from /api/health)'],
    [{ badge: { found: true, status: "warn", version: "v1.2.3", detail: null } }, 'API health badge shows "warn", expected "pass"'],
    [{ cspViolations: ["script-src-elem blocked inline"] }, "CSP violation: script-src-elem blocked inline"],
    [{ pageErrors: ["ReferenceError: x is not defined"] }, "page error: ReferenceError: x is not defined"],
    [{ consoleErrors: ["boom\n  at main.js:1"] }, "console error: boom at main.js:1"],
    [{ failedRequests: [{ method: "GET", url: "https://x/app.js", reason: "HTTP 404" }] }, "request failed: GET https://x/app.js: HTTP 404"],
  ] as const)("fails on %j", (patch, reason) => {
    const decision = decideBrowserCheck(with_(patch as Partial<BrowserObservations>));
    expect(decision).toEqual({ verdict: "fail", reasons: [reason] });
    expect(browserExitCode(decision.verdict)).toBe(1);
  });

  it("lists reasons in rule order: page, CSP header, badge, violations, page errors, console, requests", () => {
    const decision = decideBrowserCheck({
      ...good,
      page: { status: 500, error: null, csp: null },
      badge: { found: true, status: "fail", version: null, detail: null },
      consoleErrors: ["c"],
      pageErrors: ["p"],
      cspViolations: ["v"],
      failedRequests: [{ method: "GET", url: "u", reason: "r" }],
    });
    expect(decision.reasons.map((r) => r.split(":")[0])).toEqual(["page load", "no Content-Security-Policy header on the page", 'API health badge shows "fail", expected "pass"', "CSP violation", "page error", "console error", "request failed"]);
    expect(summarizeBrowserCheck(decision, good.badge)).toMatch(/^fail: page load: HTTP 500; no Content-Security-Policy/);
  });

  it(`lists at most ${MAX_PER_KIND} of a kind, then how many more, and clips long messages`, () => {
    const errors = Array.from({ length: MAX_PER_KIND + 3 }, (_, i) => `error ${i} ${"x".repeat(i === 0 ? 500 : 1)}`);
    const { reasons } = decideBrowserCheck(with_({ consoleErrors: errors }));
    expect(reasons).toHaveLength(MAX_PER_KIND + 1);
    expect(reasons.at(-1)).toBe("console error: … and 3 more");
    expect(reasons[0]!.length).toBeLessThanOrEqual("console error: ".length + 240);
    expect(reasons[0]).toMatch(/…$/);
  });

  it("with an expected version: passes the same release with or without its v, fails another one or none, naming both", () => {
    expect(decideBrowserCheck(good, "v1.2.3").verdict).toBe("pass");
    expect(decideBrowserCheck(good, "1.2.3").verdict).toBe("pass");
    expect(decideBrowserCheck(good, "v1.2.4")).toEqual({ verdict: "fail", reasons: ["the console shows API version v1.2.3, expected v1.2.4 (is the previous release still serving?)"] });
    expect(decideBrowserCheck(with_({ badge: { ...good.badge, version: null } }), "v1.2.4").reasons).toEqual(["the console shows no API version, expected v1.2.4"]);
    // a badge that is not pass already failed: the version is not judged on top of it
    expect(decideBrowserCheck(with_({ badge: { found: true, status: "fail", version: null, detail: null } }), "v1.2.4").reasons).toEqual(['API health badge shows "fail", expected "pass"']);
  });
});
