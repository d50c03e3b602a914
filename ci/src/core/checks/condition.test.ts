import { describe, expect, it } from "vitest";
import { ConditionSyntaxError, evaluateCondition, parseCondition, responseView } from "./condition.js";

const health = responseView(
  { "Content-Type": "application/health+json", "X-Count": "12" },
  JSON.stringify({ status: "fail", checks: { "postgres:connection": [{ status: "fail", observedValue: 2500 }] }, tags: ["a", "b"] }),
);
const html = responseView({ "content-security-policy": "default-src 'self'; frame-ancestors 'none'" }, "<!doctype html><script src=\"/assets/x.js\"></script>");

describe("condition: evaluation records the observed value", () => {
  it.each([
    ['$.status == "pass"', false, "fail", health],
    ['$.status != "pass"', true, "fail", health],
    ['$.checks["postgres:connection"][0].status == "fail"', true, "fail", health],
    ['$.checks["postgres:connection"][0].observedValue < 1000', false, 2500, health],
    ['$.checks["postgres:connection"][0].observedValue >= 2500', true, 2500, health],
    ['$.checks["postgres:connection"][0].observedValue > 2500', false, 2500, health],
    ['$.checks["postgres:connection"][0].observedValue <= 2500', true, 2500, health],
    ["$.checks exists", true, true, health],
    ['$.tags contains "b"', true, ["a", "b"], health],
    ['$.tags == ["a", "b"]', true, ["a", "b"], health],
    ['header["content-type"] contains "health+json"', true, "application/health+json", health],
    ['header.Content-Type == "application/health+json"', true, "application/health+json", health],
    ['header["x-count"] > 10', true, "12", health],
    ['header["content-security-policy"] contains "frame-ancestors"', true, "default-src 'self'; frame-ancestors 'none'", html],
    ['body contains "/assets/x.js"', true, '<!doctype html><script src="/assets/x.js"></script>', html],
  ])("%s → ok=%s, observed %j", (text, ok, observed, view) => {
    const result = evaluateCondition(parseCondition(text), view);
    expect(result.ok).toBe(ok);
    expect(result.observed).toEqual(observed);
  });

  it("says the path was not found and observes null", () => {
    const result = evaluateCondition(parseCondition('$.checks["redis:connection"][0].status == "pass"'), health);
    expect(result).toMatchObject({ ok: false, observed: null, detail: '$.checks["redis:connection"] not found in the body' });
  });

  it("says the body is not JSON", () => {
    const result = evaluateCondition(parseCondition('$.status == "pass"'), html);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^body is not JSON: "<!doctype html>/);
  });

  it("fails a missing header, and `exists` on it", () => {
    expect(evaluateCondition(parseCondition('header["x-frame-options"] exists'), html)).toMatchObject({ ok: false, detail: "no x-frame-options header" });
  });

  it("fails numeric operators on non-numbers with the reason", () => {
    expect(evaluateCondition(parseCondition("$.status < 3"), health)).toMatchObject({ ok: false, observed: "fail", detail: "< needs a number, observed a string" });
  });

  it("writes expectation and subject separately", () => {
    expect(evaluateCondition(parseCondition('$.status=="pass"'), health)).toMatchObject({ assertion: "$.status", expected: '== "pass"', severity: "fail" });
  });
});

describe("condition: syntax is checked when the configuration loads", () => {
  it.each([
    ['status == "pass"', "the subject must be"],
    ["$.status", "expected an operator"],
    ["$.status ~= 1", "expected an operator"],
    ["$.status ==", "needs a value"],
    ["$.status == pass", "not a JSON literal"],
    ['$.status < "a"', "compares numbers"],
    ["$.status exists 1", "takes no value"],
    ['header.a.b == "x"', "header subject"],
    ["header.x == 1", "compare it with a quoted string"],
    ["$.a[x] == 1", "invalid JSON path"],
    ["$.statusexists", "expected an operator"],
  ])("rejects %s (%s)", (text, reason) => {
    expect(() => parseCondition(text)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(text)).toThrow(reason);
  });

  it("keeps the severity it is given", () => {
    expect(parseCondition("$.a exists", "warn").severity).toBe("warn");
  });
});
