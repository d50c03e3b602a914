/**
 * `hello-ci browser-check`: what headless Chromium saw of the console (the observations) and the report it writes
 * (`browser-check.json` in --report DIR, and stdout with --json; schema hello-ci/browser-check@1).
 */
import { z } from "zod";

export const BROWSER_CHECK_SCHEMA = "hello-ci/browser-check@1";

/** The health badge the console renders (frontend/src/components/HealthBadge.tsx): `data-status` checking|pass|warn|fail. */
export const badgeObservationSchema = z.object({
  /** `[data-testid="health-status"]` was on the page. */
  found: z.boolean(),
  /** Its last `data-status` (null when not found or without the attribute). */
  status: z.string().nullable(),
  /** `[data-testid="health-version"]`'s text, e.g. "v1.2.3" (the console shows it once the API answered). */
  version: z.string().nullable(),
  /** Its `title`: the console puts the error there when the API was unreachable. */
  detail: z.string().nullable(),
});

export const failedRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  /** `HTTP 404`, or the network error, e.g. `net::ERR_CONNECTION_REFUSED`. */
  reason: z.string(),
});

export const browserObservationsSchema = z.object({
  url: z.string(),
  page: z.object({
    /** HTTP status of the page load; null when nothing answered. */
    status: z.number().int().nullable(),
    /** Why the page did not load (connection refused, DNS, timeout), when it did not. */
    error: z.string().nullable(),
    /** The Content-Security-Policy header served with the page. */
    csp: z.string().nullable(),
  }),
  badge: badgeObservationSchema,
  consoleErrors: z.array(z.string()),
  pageErrors: z.array(z.string()),
  /** `securitypolicyviolation` events: `<directive> blocked <uri>`. */
  cspViolations: z.array(z.string()),
  failedRequests: z.array(failedRequestSchema),
});

export const browserVerdictSchema = z.enum(["pass", "fail", "unreachable"]);

export const browserCheckReportSchema = browserObservationsSchema.extend({
  schema: z.literal(BROWSER_CHECK_SCHEMA),
  verdict: browserVerdictSchema,
  /** The release the console had to show (`--expect-version`), or null when none was asked for. */
  expectedVersion: z.string().nullable(),
  /** Why it failed, one line each, in rule order (empty on pass). */
  reasons: z.array(z.string()),
  startedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  /** The Chromium that looked, e.g. "156.0.8078.108". */
  browser: z.string().nullable(),
  /** The screenshot's file name in the report directory, when one was taken. */
  screenshot: z.string().nullable(),
});

export type BadgeObservation = z.infer<typeof badgeObservationSchema>;
export type FailedRequest = z.infer<typeof failedRequestSchema>;
export type BrowserObservations = z.infer<typeof browserObservationsSchema>;
export type BrowserVerdict = z.infer<typeof browserVerdictSchema>;
export type BrowserCheckReport = z.infer<typeof browserCheckReportSchema>;
