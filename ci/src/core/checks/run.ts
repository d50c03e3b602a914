/**
 * The check engine: runs checks concurrently (bounded), each with N samples, retries with exponential backoff for
 * retriable transport failures only, all inside one total deadline. Network and time are injected (Probe, Clock),
 * so the engine is tested with fakes and used with src/http.ts for real.
 */
import { TransportError } from "../http/transport.js";
import { redactUrl } from "../redact.js";
import { evaluateLatency, evaluateSamples, evaluateTls, round, type ResponseSample, type TlsInfo } from "./evaluate.js";
import type { AssertionResult, CheckResult, CheckSpec, HealthReport, HttpMethod } from "./model.js";
import { mapWithConcurrency } from "./pool.js";
import { aggregateVerdict, checkVerdict } from "./verdict.js";

export interface ProbeRequest {
  url: string;
  method: HttpMethod;
  headers: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
}

/** The network, as the engine sees it. Implementations throw TransportError when no HTTP response came back. */
export interface Probe {
  request(request: ProbeRequest): Promise<ResponseSample>;
  inspectTls(url: URL, timeoutMs: number): Promise<TlsInfo>;
}

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  monotonicMs(): number;
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** A failed attempt that will be retried: what a long run reports as progress. */
export interface RetryEvent {
  check: string;
  url: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** Attempts allowed per sample (retries + 1). */
  of: number;
  delayMs: number;
  reason: string;
}

export interface RunOptions {
  concurrency: number;
  /** Per request. */
  timeoutMs: number;
  /** For the whole run, every check and retry included. */
  deadlineMs: number;
  /** Extra attempts per sample after a retriable failure. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Called before each backoff sleep (progress for people; the report is unchanged). */
  onRetry?: (event: RetryEvent) => void;
}

export const defaultRunOptions: RunOptions = {
  concurrency: 6,
  timeoutMs: 5000,
  deadlineMs: 30_000,
  retries: 2,
  backoffBaseMs: 250,
  backoffMaxMs: 4000,
};

/** Delay before retry number `retry` (0-based): base · 2^retry, capped. Deterministic on purpose (no jitter: few callers). */
export function backoffDelay(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** retry);
}

/** A check's result plus the last response, for callers that chain steps (the smoke suite reads index.html). */
export interface CheckOutcome {
  result: CheckResult;
  last?: ResponseSample;
}

export async function runChecks(specs: readonly CheckSpec[], probe: Probe, clock: Clock, options: RunOptions): Promise<HealthReport & { outcomes: CheckOutcome[] }> {
  const startedAt = clock.now().toISOString();
  const started = clock.monotonicMs();
  const deadlineAt = started + options.deadlineMs;
  const outcomes = await mapWithConcurrency(specs, options.concurrency, (spec) => runCheck(spec, probe, clock, options, deadlineAt));
  const checks = outcomes.map((o) => o.result);
  return {
    verdict: aggregateVerdict(checks.map((c) => c.verdict)),
    checks,
    startedAt,
    durationMs: round(clock.monotonicMs() - started),
    outcomes,
  };
}

export async function runCheck(spec: CheckSpec, probe: Probe, clock: Clock, options: RunOptions, deadlineAt: number): Promise<CheckOutcome> {
  const started = clock.monotonicMs();
  const samples: ResponseSample[] = [];
  let attempts = 0;
  let failure: TransportError | undefined;
  for (let i = 0; i < spec.samples && !failure; i++) {
    const outcome = await requestWithRetries(spec, probe, clock, options, deadlineAt);
    attempts += outcome.attempts;
    if (outcome.sample) samples.push(outcome.sample);
    else failure = outcome.error;
  }

  const latencies = samples.map((s) => round(s.durationMs));
  const assertions: AssertionResult[] = [...evaluateSamples(spec, samples), ...evaluateLatency(spec, latencies)];
  if (failure) {
    assertions.unshift({
      assertion: "response",
      expected: samples.length > 0 ? `${spec.samples} responses` : "a response",
      observed: failure.message,
      ok: false,
      severity: "fail",
      ...(samples.length > 0 ? { detail: `after ${samples.length} of ${spec.samples} samples` } : {}),
    });
  }
  const answered = samples.length > 0 || (failure?.answered ?? false);
  const url = new URL(spec.url);
  if (spec.tls && url.protocol === "https:" && answered) {
    assertions.push(...(await tlsAssertions(spec, url, probe, clock, options, deadlineAt)));
  }
  const result: CheckResult = {
    name: spec.name,
    url: redactUrl(spec.url),
    verdict: checkVerdict(assertions, answered),
    attempts,
    durationMs: round(clock.monotonicMs() - started),
    assertions,
    latenciesMs: latencies,
    ...(failure ? { error: { kind: failure.kind, message: failure.message } } : {}),
  };
  const last = samples.at(-1);
  return last ? { result, last } : { result };
}

async function tlsAssertions(spec: CheckSpec, url: URL, probe: Probe, clock: Clock, options: RunOptions, deadlineAt: number): Promise<AssertionResult[]> {
  const policy = spec.tls;
  if (!policy) return [];
  const remaining = deadlineAt - clock.monotonicMs();
  try {
    const info = await probe.inspectTls(url, Math.max(1, Math.floor(Math.min(options.timeoutMs, remaining))));
    return evaluateTls(policy, info, clock.now());
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    return [{ assertion: "tls.certificate", expected: "readable", observed: error.message, ok: false, severity: "fail" }];
  }
}

async function requestWithRetries(
  spec: CheckSpec,
  probe: Probe,
  clock: Clock,
  options: RunOptions,
  deadlineAt: number,
): Promise<{ attempts: number; sample?: ResponseSample; error?: TransportError }> {
  let lastError: TransportError | undefined;
  for (let retry = 0; ; retry++) {
    const remaining = deadlineAt - clock.monotonicMs();
    if (remaining <= 0) {
      const error =
        lastError ?? new TransportError(`deadline of ${options.deadlineMs} ms spent before ${redactUrl(spec.url)} was tried`, { kind: "timeout", retriable: false, answered: false });
      return { attempts: retry, error };
    }
    try {
      const sample = await probe.request({
        url: spec.url,
        method: spec.method,
        headers: spec.requestHeaders,
        ...(spec.requestBody !== undefined ? { body: spec.requestBody } : {}),
        timeoutMs: Math.max(1, Math.floor(Math.min(options.timeoutMs, remaining))),
      });
      return { attempts: retry + 1, sample };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      lastError = error;
      const delay = backoffDelay(retry, options.backoffBaseMs, options.backoffMaxMs);
      if (!error.retriable || retry >= options.retries || clock.monotonicMs() + delay >= deadlineAt) {
        return { attempts: retry + 1, error };
      }
      options.onRetry?.({ check: spec.name, url: redactUrl(spec.url), attempt: retry + 1, of: options.retries + 1, delayMs: delay, reason: error.message });
      await clock.sleep(delay);
    }
  }
}
