import { describe, expect, it } from "vitest";
import { parseCondition } from "./condition.js";
import { evaluateLatency, evaluateSamples, evaluateTls, percentile, type TlsInfo } from "./evaluate.js";
import { adHocCheck } from "./model.js";

describe("percentile (nearest rank)", () => {
  it.each([
    [[100], 95, 100],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[10, 1, 5], 50, 5],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95, 95],
    [Array.from({ length: 20 }, (_, i) => i + 1), 95, 19],
    [[3, 3, 3], 100, 3],
  ])("of %j at p%d is %d", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it("is undefined without samples and rejects p outside (0, 100]", () => {
    expect(percentile([], 95)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("latency budgets", () => {
  it.each([
    [[120, 180], 200, true, 180],
    [[120, 512], 200, false, 512],
    [[200], 200, false, 200],
  ])("budget over %j with %d ms → ok=%s observed %d", (latencies, budgetMs, ok, observed) => {
    const [result] = evaluateLatency({ budgetMs }, latencies);
    expect(result).toMatchObject({ assertion: "latency (ms)", expected: `< ${budgetMs}`, ok, observed });
  });

  it("reports the percentile with its sample count", () => {
    const latencies = [100, 110, 120, 130, 140, 150, 160, 170, 180, 900];
    const [result] = evaluateLatency({ percentileBudget: { percentile: 95, budgetMs: 300 } }, latencies);
    expect(result).toMatchObject({ assertion: "p95 latency (ms)", expected: "< 300", observed: 900, ok: false, detail: "over 10 samples (nearest rank)" });
  });

  it("asserts nothing when no sample answered", () => {
    expect(evaluateLatency({ budgetMs: 10, percentileBudget: { percentile: 95, budgetMs: 10 } }, [])).toEqual([]);
  });
});

describe("response assertions over samples", () => {
  const spec = adHocCheck("http://x/health", { expectStatus: [200, 204], conditions: [parseCondition('$.status == "pass"')] });
  const ok = { status: 200, headers: {}, bodyText: '{"status":"pass"}', durationMs: 5 };
  const bad = { status: 503, headers: {}, bodyText: '{"status":"fail"}', durationMs: 5 };

  it("passes when every sample passes", () => {
    expect(evaluateSamples(spec, [ok, ok]).every((a) => a.ok)).toBe(true);
  });

  it("reports the first failing sample per assertion", () => {
    const [status, body] = evaluateSamples(spec, [ok, bad, ok]);
    expect(status).toMatchObject({ assertion: "status", expected: "in [200, 204]", observed: 503, ok: false });
    expect(body).toMatchObject({ assertion: "$.status", observed: "fail", ok: false });
  });

  it("runs body validators on the parsed JSON", () => {
    const validated = adHocCheck("http://x", { validators: [{ name: "shape", validate: (b) => ({ expected: "object", observed: typeof b, ok: typeof b === "object" }) }] });
    expect(evaluateSamples(validated, [ok])[1]).toMatchObject({ assertion: "shape", ok: true, severity: "fail" });
    expect(evaluateSamples(validated, [{ ...ok, bodyText: "nope" }])[1]).toMatchObject({ ok: false, detail: 'body is not JSON: "nope"' });
  });
});

describe("TLS certificate policy", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const cert = (validTo: string, extra: Partial<TlsInfo> = {}): TlsInfo => ({
    hostname: "localhost",
    validFrom: "2025-01-01T00:00:00.000Z",
    validTo,
    subject: "CN=localhost",
    altNames: ["DNS:localhost"],
    trusted: true,
    ...extra,
  });
  const policy = { warnDays: 21, failDays: 3 };
  const failing = (info: TlsInfo) => evaluateTls(policy, info, now).filter((a) => !a.ok).map((a) => `${a.assertion}:${a.severity}`);

  it.each([
    ["90 days left → nothing fails", cert("2026-04-01T00:00:00Z"), []],
    ["exactly 21 days left → nothing fails", cert("2026-01-22T00:00:00Z"), []],
    ["5 days left → the warn window only", cert("2026-01-06T00:00:00Z"), ["tls.daysToExpiry:warn"]],
  ])("%s", (_name, info, expected) => {
    expect(failing(info)).toEqual(expected);
  });

  it("fails an expired certificate and reports negative days", () => {
    const results = evaluateTls(policy, cert("2025-12-31T00:00:00Z", { trusted: false, trustError: "certificate has expired" }), now);
    expect(results.filter((a) => !a.ok).map((a) => `${a.assertion}:${a.severity}`)).toEqual(["tls.daysToExpiry:fail", "tls.daysToExpiry:warn", "tls.chain:fail"]);
    expect(results[0]?.observed).toBe(-1);
  });

  it("fails a certificate for another hostname, naming what it covers", () => {
    const results = evaluateTls(policy, cert("2026-04-01T00:00:00Z", { altNames: ["DNS:other.example"], hostnameError: "Host: localhost. is not in the cert's altnames: DNS:other.example" }), now);
    expect(results.find((a) => a.assertion === "tls.hostname")).toMatchObject({ ok: false, observed: "DNS:other.example", expected: "covers localhost" });
  });

  it("fails between 0 and failDays with both severities", () => {
    expect(failing(cert("2026-01-03T00:00:00Z"))).toEqual(["tls.daysToExpiry:fail", "tls.daysToExpiry:warn"]);
  });
});
