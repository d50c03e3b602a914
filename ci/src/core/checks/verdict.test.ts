import { describe, expect, it } from "vitest";
import type { AssertionResult, Verdict } from "./model.js";
import { aggregateVerdict, checkVerdict, describeFailure, exitCodeFor } from "./verdict.js";

const a = (ok: boolean, severity: "warn" | "fail"): AssertionResult => ({ assertion: "x", expected: "== 1", observed: 2, ok, severity });

describe("verdict: a check (rule order is the contract)", () => {
  it.each([
    ["no response → unreachable, whatever else", [a(true, "fail")], false, "unreachable"],
    ["a failed fail-assertion → fail", [a(true, "fail"), a(false, "fail"), a(false, "warn")], true, "fail"],
    ["only warn-assertions failed → warn", [a(true, "fail"), a(false, "warn")], true, "warn"],
    ["everything held → pass", [a(true, "fail"), a(true, "warn")], true, "pass"],
    ["no assertions but answered → pass", [], true, "pass"],
  ] as const)("%s", (_name, assertions, answered, expected) => {
    expect(checkVerdict([...assertions], answered)).toBe(expected);
  });
});

describe("verdict: a report", () => {
  it.each<[string, Verdict[], Verdict]>([
    ["all unreachable → unreachable", ["unreachable", "unreachable"], "unreachable"],
    ["some unreachable → fail (something answered)", ["pass", "unreachable"], "fail"],
    ["any fail → fail", ["warn", "fail", "pass"], "fail"],
    ["any warn → warn", ["pass", "warn"], "warn"],
    ["all pass → pass", ["pass", "pass"], "pass"],
    ["nothing to check → pass", [], "pass"],
  ])("%s", (_name, verdicts, expected) => {
    expect(aggregateVerdict(verdicts)).toBe(expected);
  });

  it.each<[Verdict, number]>([
    ["pass", 0],
    ["warn", 0],
    ["fail", 1],
    ["unreachable", 3],
  ])("exit code for %s is %d", (verdict, code) => {
    expect(exitCodeFor(verdict)).toBe(code);
  });
});

describe("verdict: failure lines", () => {
  it.each([
    [{ assertion: "$.status", expected: '== "pass"', observed: "fail", ok: false, severity: "fail" }, '$.status expected == "pass", observed "fail"'],
    [{ assertion: "tls.daysToExpiry", expected: ">= 21", observed: 5, ok: false, severity: "warn" }, "tls.daysToExpiry expected >= 21, observed 5 [warn]"],
    [{ assertion: "$.x", expected: "exists", observed: null, ok: false, severity: "fail", detail: "$.x not found in the body" }, "$.x expected exists, observed nothing ($.x not found in the body)"],
    [{ assertion: "response", expected: "a response", observed: "connection refused by h:1 (ECONNREFUSED)", ok: false, severity: "fail" }, "no response: connection refused by h:1 (ECONNREFUSED)"],
  ] as const)("%j", (assertion, line) => {
    expect(describeFailure({ ...assertion })).toBe(line);
  });
});
