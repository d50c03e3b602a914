/**
 * The check model: what to request and what to assert. A check is a URL plus assertions; the engine (run.ts)
 * turns it into a CheckResult whose every assertion carries the value it observed.
 */
import { redactUrl } from "../redact.js";
import type { Condition } from "./condition.js";
export type { AssertionResult, CheckResult, HealthReport, Severity, Verdict } from "../../schemas/health.js";
import type { AssertionResult } from "../../schemas/health.js";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Certificate policy for https checks: warn below warnDays, fail below failDays; hostname and chain must verify. */
export interface TlsPolicy {
  warnDays: number;
  failDays: number;
}

/** A percentile budget over the samples of one check, e.g. p95 < 300 ms. */
export interface PercentileBudget {
  percentile: number;
  budgetMs: number;
}

/** A named assertion on the parsed body that a condition cannot express (a zod schema, for instance). */
export interface BodyValidator {
  name: string;
  validate(body: unknown): Omit<AssertionResult, "assertion" | "severity">;
}

export interface CheckSpec {
  name: string;
  url: string;
  method: HttpMethod;
  requestHeaders: Readonly<Record<string, string>>;
  requestBody?: string;
  /** Accepted status codes. */
  expectStatus: readonly number[];
  conditions: readonly Condition[];
  validators: readonly BodyValidator[];
  /** Every sample must answer in under this many milliseconds. */
  budgetMs?: number;
  percentileBudget?: PercentileBudget;
  /** Requests per check (one after another); percentiles are computed over them. */
  samples: number;
  /** Applies to https URLs only. */
  tls?: TlsPolicy;
}

/** Defaults of an ad-hoc check (`--url`): status 200 within a latency budget. */
export function adHocCheck(url: string, overrides: Partial<CheckSpec> = {}): CheckSpec {
  return {
    name: redactUrl(url),
    url,
    method: "GET",
    requestHeaders: {},
    expectStatus: [200],
    conditions: [],
    validators: [],
    budgetMs: 1000,
    samples: 1,
    tls: { warnDays: 21, failDays: 3 },
    ...overrides,
  };
}
