import { describe, expect, it } from "vitest";
import { MAX_DURATION_MS, parseDuration, parsePercentileBudget } from "./duration.js";

describe("durations", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5000],
    ["1.5s", 1500],
    ["2m", 120_000],
    [" 10 ms ", 10],
    ["0ms", 0],
    ["1440m", MAX_DURATION_MS],
  ])("%j is %d ms", (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each(["", "5h", "-1s", "fast", "1e3", "1.s"])("%j is not a duration", (input) => {
    expect(parseDuration(input)).toEqual({ ok: false, reason: `${JSON.stringify(input)} is not a duration (e.g. 250ms, 5s, 2m)` });
  });

  it.each([["300"], [" 5 "], [42], [0]])("a bare number (%j) is refused with a hint to add a unit", (input) => {
    expect(parseDuration(input)).toEqual({ ok: false, reason: `${JSON.stringify(input)} has no unit: use a unit: 250ms, 5s, 2m` });
  });

  it.each(["1441m", "36000m", "72000m", "86400001ms", "99999999999999999999s"])("%j is refused as longer than any timer hello-ci sets", (input) => {
    expect(parseDuration(input)).toEqual({ ok: false, reason: `${JSON.stringify(input)} is too long: at most 1440m (24 hours)` });
  });

  it("bounds every duration below Node's timer limit (2^31-1 ms)", () => {
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
  });

  it.each([
    ["p95 < 300ms", { percentile: 95, budgetMs: 300 }],
    ["p99<1s", { percentile: 99, budgetMs: 1000 }],
    ["p99.9 < 2s", { percentile: 99.9, budgetMs: 2000 }],
    ["p100 < 5ms", { percentile: 100, budgetMs: 5 }],
  ])("%j is a percentile budget", (input, budget) => {
    expect(parsePercentileBudget(input)).toEqual({ ok: true, value: budget });
  });

  it.each(["p0 < 1s", "95 < 300ms", "p95 > 300ms", "p95 < 0ms", "p101 < 1s", "p95 <"])("%j is not a percentile budget", (input) => {
    expect(parsePercentileBudget(input)).toMatchObject({ ok: false, reason: expect.stringContaining(`${JSON.stringify(input)} is not a percentile budget (e.g. "p95 < 300ms")`) });
  });

  it.each([
    ["p100 < 5", '"5" has no unit'],
    ["p95 < 2000m", '"2000m" is too long'],
  ])("%j names what is wrong with its duration", (input, reason) => {
    expect(parsePercentileBudget(input)).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });
});
