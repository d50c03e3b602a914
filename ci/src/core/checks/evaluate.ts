/**
 * Pure evaluation: responses, latencies and certificates in, assertion results (with observed values) out.
 */
import { evaluateCondition, responseView } from "./condition.js";
import type { AssertionResult, CheckSpec, PercentileBudget, TlsPolicy } from "./model.js";

/** One answered request, as the HTTP layer reports it. */
export interface ResponseSample {
  status: number;
  headers: Readonly<Record<string, string>>;
  bodyText: string;
  durationMs: number;
}

/** What the TLS layer saw of the server certificate. Dates are ISO strings. */
export interface TlsInfo {
  hostname: string;
  validFrom: string;
  validTo: string;
  subject: string;
  altNames: readonly string[];
  /** The chain verified against the trusted roots (plus any --ca). */
  trusted: boolean;
  trustError?: string;
  /** Why the certificate does not cover the hostname, when it does not. */
  hostnameError?: string;
}

const DAY_MS = 86_400_000;

/**
 * Nearest-rank percentile (the definition k6 and most SLO tools document): the smallest sample such that at least
 * p % of the samples are less than or equal to it. Returns undefined for no samples.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1];
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Status, conditions and validators of every sample; per assertion the first failing sample is reported. */
export function evaluateSamples(spec: CheckSpec, samples: readonly ResponseSample[]): AssertionResult[] {
  const perSample = samples.map((sample) => evaluateResponse(spec, sample));
  const first = perSample[0];
  if (!first) return [];
  return first.map((_, i) => perSample.find((results) => results[i] && !results[i].ok)?.[i] ?? (perSample.at(-1)?.[i] as AssertionResult));
}

export function evaluateResponse(spec: CheckSpec, sample: ResponseSample): AssertionResult[] {
  const results: AssertionResult[] = [
    {
      assertion: "status",
      expected: spec.expectStatus.length === 1 ? `== ${spec.expectStatus[0]}` : `in [${spec.expectStatus.join(", ")}]`,
      observed: sample.status,
      ok: spec.expectStatus.includes(sample.status),
      severity: "fail",
    },
  ];
  if (spec.conditions.length === 0 && spec.validators.length === 0) return results;
  const view = responseView(sample.headers, sample.bodyText);
  for (const condition of spec.conditions) results.push(evaluateCondition(condition, view));
  for (const validator of spec.validators) {
    const outcome = view.json.ok ? validator.validate(view.json.value) : { expected: "a JSON body", observed: null, ok: false, detail: view.json.reason };
    results.push({ assertion: validator.name, severity: "fail", ...outcome });
  }
  return results;
}

/** The per-request budget (every sample, observed = slowest) and the percentile budget over all samples. */
export function evaluateLatency(spec: Pick<CheckSpec, "budgetMs" | "percentileBudget">, latenciesMs: readonly number[]): AssertionResult[] {
  const results: AssertionResult[] = [];
  if (latenciesMs.length === 0) return results;
  if (spec.budgetMs !== undefined) {
    const slowest = round(Math.max(...latenciesMs));
    results.push({
      assertion: "latency (ms)",
      expected: `< ${spec.budgetMs}`,
      observed: slowest,
      ok: slowest < spec.budgetMs,
      severity: "fail",
      ...(latenciesMs.length > 1 ? { detail: `slowest of ${latenciesMs.length} samples` } : {}),
    });
  }
  if (spec.percentileBudget) results.push(evaluatePercentile(spec.percentileBudget, latenciesMs));
  return results;
}

export function evaluatePercentile(budget: PercentileBudget, latenciesMs: readonly number[]): AssertionResult {
  const value = round(percentile(latenciesMs, budget.percentile) ?? 0);
  return {
    assertion: `p${budget.percentile} latency (ms)`,
    expected: `< ${budget.budgetMs}`,
    observed: value,
    ok: value < budget.budgetMs,
    severity: "fail",
    detail: `over ${latenciesMs.length} sample${latenciesMs.length === 1 ? "" : "s"} (nearest rank)`,
  };
}

/** Days to expiry against the warn window and the fail threshold, hostname coverage, and chain trust. */
export function evaluateTls(policy: TlsPolicy, info: TlsInfo, now: Date): AssertionResult[] {
  const days = round((Date.parse(info.validTo) - now.getTime()) / DAY_MS, 2);
  const validity = `valid ${info.validFrom} → ${info.validTo}`;
  return [
    { assertion: "tls.daysToExpiry", expected: `>= ${policy.failDays}`, observed: days, ok: days >= policy.failDays, severity: "fail", detail: validity },
    { assertion: "tls.daysToExpiry", expected: `>= ${policy.warnDays}`, observed: days, ok: days >= policy.warnDays, severity: "warn", detail: validity },
    {
      assertion: "tls.hostname",
      expected: `covers ${info.hostname}`,
      observed: info.altNames.length > 0 ? info.altNames.join(", ") : info.subject,
      ok: info.hostnameError === undefined,
      severity: "fail",
      ...(info.hostnameError ? { detail: info.hostnameError } : {}),
    },
    {
      assertion: "tls.chain",
      expected: "verifies against the trusted roots",
      observed: info.trusted ? "verified" : (info.trustError ?? "not verified"),
      ok: info.trusted,
      severity: "fail",
    },
  ];
}
