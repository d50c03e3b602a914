import { describe, expect, it } from "vitest";
import { lookupPath, parsePath, PathSyntaxError } from "./jsonpath.js";

const doc = {
  status: "pass",
  checks: { "postgres:connection": [{ status: "fail", observedValue: 12.5 }], redis: [] },
  list: [1, [2, 3]],
  "with space": null,
};

describe("jsonpath: lookup", () => {
  it.each([
    ["$", doc],
    ["$.status", "pass"],
    ['$.checks["postgres:connection"][0].status', "fail"],
    ['$["checks"]["postgres:connection"][0].observedValue', 12.5],
    ["$.list[1][0]", 2],
    ['$["with space"]', null],
    ["$.checks.redis", []],
  ])("finds %s", (path, expected) => {
    expect(lookupPath(doc, parsePath(path))).toEqual({ found: true, value: expected });
  });

  it.each([
    ["$.missing", "$.missing"],
    ["$.checks.redis[0]", "$.checks.redis[0]"],
    ["$.status.inner", "$.status.inner"],
    ["$.list[5]", "$.list[5]"],
    ['$.checks["postgres:connection"][0].status.x', '$.checks["postgres:connection"][0].status.x'],
  ])("reports %s as missing at %s", (path, at) => {
    expect(lookupPath(doc, parsePath(path))).toEqual({ found: false, missingAt: at });
  });

  it("does not read inherited properties", () => {
    expect(lookupPath({}, parsePath("$.constructor")).found).toBe(false);
  });
});

describe("jsonpath: syntax", () => {
  it.each([
    ['$.checks["postgres:connection"][0]', '$.checks["postgres:connection"][0]'],
    ['$["status"]', "$.status"],
    ["  $.a.b  ", "$.a.b"],
  ])("canonicalises %s as %s", (input, text) => {
    expect(parsePath(input).text).toBe(text);
  });

  it.each([
    ["status", "starts with $"],
    ["$.", "expected a name"],
    ["$.a[", "expected an array index"],
    ["$.a[-1]", "expected an array index"],
    ["$.a[01]", "expected an array index"],
    ['$.a["x', "unterminated string"],
    ['$.a["x"', "expected ']'"],
    ['$.a["x"x]', "expected ']'"],
    ["$.a b", "unexpected"],
    ["$.a[*]", "expected an array index"],
  ])("rejects %s (%s)", (input, reason) => {
    expect(() => parsePath(input)).toThrow(PathSyntaxError);
    expect(() => parsePath(input)).toThrow(reason);
  });
});
