import { describe, expect, it } from "vitest";
import { TransportError, type TransportKind } from "../http/transport.js";
import { parseCondition } from "./condition.js";
import type { ResponseSample, TlsInfo } from "./evaluate.js";
import { adHocCheck, type CheckSpec } from "./model.js";
import { backoffDelay, defaultRunOptions, runChecks, type Clock, type Probe, type ProbeRequest, type RunOptions } from "./run.js";

type Scripted = ResponseSample | TransportKind;

const refused = new Set<TransportKind>(["refused", "timeout", "reset"]);
function transport(kind: TransportKind): TransportError {
  return new TransportError(`${kind} failure`, { kind, retriable: refused.has(kind), answered: kind === "tls" || kind === "protocol" });
}

/** A fake network and clock: each URL answers from its script (the last entry repeats); time only moves when told. */
function fakeWorld(scripts: Record<string, Scripted[]>, tls?: TlsInfo) {
  let t = 0;
  const sleeps: number[] = [];
  const requests: ProbeRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const clock: Clock = {
    monotonicMs: () => t,
    now: () => new Date(Date.UTC(2026, 0, 1) + t),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  const probe: Probe = {
    async request(request) {
      requests.push(request);
      const script = scripts[request.url] ?? [];
      const step = script.length > 1 ? script.shift() : script[0];
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (step === undefined) throw new Error(`no script for ${request.url}`);
      if (typeof step === "string") throw transport(step);
      t += step.durationMs;
      return step;
    },
    async inspectTls() {
      if (!tls) throw transport("refused");
      return tls;
    },
  };
  return { clock, probe, sleeps, requests, maxInFlight: () => maxInFlight };
}

const ok = (durationMs = 10, body = '{"status":"pass"}'): ResponseSample => ({ status: 200, headers: { "content-type": "application/json" }, bodyText: body, durationMs });
const options: RunOptions = { ...defaultRunOptions, retries: 2, backoffBaseMs: 100, backoffMaxMs: 1000, deadlineMs: 10_000 };
const spec = (url: string, extra: Partial<CheckSpec> = {}) => adHocCheck(url, { tls: undefined, ...extra });

describe("engine: retries", () => {
  it("reports each retry before its backoff, and none for the attempt that succeeds", async () => {
    const world = fakeWorld({ "http://a/": ["refused", "timeout", ok()] });
    const events: unknown[] = [];
    await runChecks([spec("http://a/")], world.probe, world.clock, { ...options, onRetry: (e) => events.push(e) });
    expect(events).toEqual([
      { check: "http://a/", url: "http://a/", attempt: 1, of: 3, delayMs: 100, reason: "refused failure" },
      { check: "http://a/", url: "http://a/", attempt: 2, of: 3, delayMs: 200, reason: "timeout failure" },
    ]);
  });

  it("retries a retriable failure with exponential backoff, then passes", async () => {
    const world = fakeWorld({ "http://a/": ["refused", "reset", ok()] });
    const report = await runChecks([spec("http://a/")], world.probe, world.clock, options);
    expect(report.verdict).toBe("pass");
    expect(report.checks[0]).toMatchObject({ attempts: 3, verdict: "pass" });
    expect(world.sleeps).toEqual([100, 200]);
  });

  it("does not retry a terminal failure (DNS name does not exist)", async () => {
    const world = fakeWorld({ "http://a/": ["dns", ok()] });
    const report = await runChecks([spec("http://a/")], world.probe, world.clock, options);
    expect(report.checks[0]).toMatchObject({ attempts: 1, verdict: "unreachable", error: { kind: "dns" } });
    expect(world.sleeps).toEqual([]);
  });

  it("gives up after the retry limit and reports the last failure", async () => {
    const world = fakeWorld({ "http://a/": ["refused"] });
    const report = await runChecks([spec("http://a/")], world.probe, world.clock, options);
    expect(report.checks[0]).toMatchObject({ attempts: 3, verdict: "unreachable" });
    expect(report.checks[0]?.assertions[0]).toMatchObject({ assertion: "response", observed: "refused failure", ok: false });
    expect(report.verdict).toBe("unreachable");
  });

  it("never sleeps past the deadline", async () => {
    const world = fakeWorld({ "http://a/": ["refused"] });
    const report = await runChecks([spec("http://a/")], world.probe, world.clock, { ...options, retries: 10, deadlineMs: 350 });
    expect(world.sleeps).toEqual([100, 200]);
    expect(report.checks[0]?.attempts).toBe(3);
  });

  it("a TLS failure is an answer: fail, not unreachable", async () => {
    const world = fakeWorld({ "https://a/": ["tls"] });
    const report = await runChecks([spec("https://a/")], world.probe, world.clock, options);
    expect(report.checks[0]?.verdict).toBe("fail");
    expect(report.verdict).toBe("fail");
  });

  it("shrinks the request timeout to what is left of the deadline", async () => {
    const world = fakeWorld({ "http://a/": [ok(900)], "http://b/": [ok()] });
    await runChecks([spec("http://a/"), spec("http://b/")], world.probe, world.clock, { ...options, concurrency: 1, timeoutMs: 5000, deadlineMs: 1000 });
    expect(world.requests.map((r) => r.timeoutMs)).toEqual([1000, 100]);
  });

  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [5, 1000],
  ])("backoff before retry %d is %d ms", (retry, delay) => {
    expect(backoffDelay(retry, 100, 1000)).toBe(delay);
  });
});

describe("engine: samples and budgets", () => {
  it("takes N samples and checks the percentile budget over them", async () => {
    const durations = [100, 110, 120, 130, 140, 150, 160, 170, 180, 450];
    const world = fakeWorld({ "http://a/": durations.map((d) => ok(d)) });
    const report = await runChecks([spec("http://a/", { samples: 10, budgetMs: 1000, percentileBudget: { percentile: 95, budgetMs: 300 } })], world.probe, world.clock, options);
    const check = report.checks[0];
    expect(check?.latenciesMs).toEqual(durations);
    expect(check?.verdict).toBe("fail");
    expect(check?.assertions.find((a) => a.assertion === "p95 latency (ms)")).toMatchObject({ observed: 450, ok: false });
  });

  it("breaches the per-request budget on a slow answer", async () => {
    const world = fakeWorld({ "http://slow/": [ok(500)] });
    const report = await runChecks([spec("http://slow/", { budgetMs: 200 })], world.probe, world.clock, options);
    expect(report.checks[0]?.assertions.find((a) => a.assertion === "latency (ms)")).toMatchObject({ expected: "< 200", observed: 500, ok: false });
  });

  it("fails on the body and names the observed value", async () => {
    const world = fakeWorld({ "http://db/": [{ ...ok(5, '{"status":"fail","checks":{"postgres:connection":[{"status":"fail"}]}}'), status: 503 }] });
    const check = spec("http://db/", { conditions: [parseCondition('$.checks["postgres:connection"][0].status == "pass"')] });
    const report = await runChecks([check], world.probe, world.clock, options);
    const failed = report.checks[0]?.assertions.filter((a) => !a.ok);
    expect(failed?.map((a) => [a.assertion, a.observed])).toEqual([
      ["status", 503],
      ['$.checks["postgres:connection"][0].status', "fail"],
    ]);
  });

  it("keeps what it measured when a later sample loses the connection", async () => {
    const world = fakeWorld({ "http://a/": [ok(10), "dns"] });
    const report = await runChecks([spec("http://a/", { samples: 3 })], world.probe, world.clock, options);
    expect(report.checks[0]).toMatchObject({ verdict: "fail", latenciesMs: [10], attempts: 2 });
    expect(report.checks[0]?.assertions[0]).toMatchObject({ assertion: "response", expected: "3 responses", detail: "after 1 of 3 samples" });
  });
});

describe("engine: TLS and verdicts", () => {
  const tls: TlsInfo = { hostname: "a", validFrom: "2025-01-01T00:00:00.000Z", validTo: "2026-01-06T00:00:00.000Z", subject: "CN=a", altNames: ["DNS:a"], trusted: true };

  it("warns when an https certificate is in the warning window", async () => {
    const world = fakeWorld({ "https://a/": [ok()] }, tls);
    const report = await runChecks([spec("https://a/", { tls: { warnDays: 21, failDays: 3 } })], world.probe, world.clock, options);
    expect(report.verdict).toBe("warn");
    expect(report.checks[0]?.assertions.filter((a) => !a.ok)).toEqual([expect.objectContaining({ assertion: "tls.daysToExpiry", severity: "warn", observed: 5 })]);
  });

  it("does not inspect TLS for http URLs", async () => {
    const world = fakeWorld({ "http://a/": [ok()] });
    const report = await runChecks([spec("http://a/", { tls: { warnDays: 21, failDays: 3 } })], world.probe, world.clock, options);
    expect(report.checks[0]?.assertions.some((a) => a.assertion.startsWith("tls."))).toBe(false);
  });

  it("is unreachable only when nothing answered; one answer makes it fail", async () => {
    const world = fakeWorld({ "http://up/": [ok()], "http://down/": ["refused"] });
    const report = await runChecks([spec("http://up/"), spec("http://down/")], world.probe, world.clock, { ...options, retries: 0 });
    expect(report.checks.map((c) => c.verdict)).toEqual(["pass", "unreachable"]);
    expect(report.verdict).toBe("fail");
  });
});

describe("engine: concurrency", () => {
  it.each([1, 3, 8])("keeps at most %d checks in flight and the input order", async (limit) => {
    const urls = Array.from({ length: 8 }, (_, i) => `http://h${i}/`);
    const world = fakeWorld(Object.fromEntries(urls.map((u) => [u, [ok()]])));
    const report = await runChecks(urls.map((u) => spec(u)), world.probe, world.clock, { ...options, concurrency: limit });
    expect(world.maxInFlight()).toBe(limit);
    expect(report.checks.map((c) => c.url)).toEqual(urls);
  });
});
