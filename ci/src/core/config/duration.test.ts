import { describe, expect, it } from "vitest";
import { parseDuration, parsePercentileBudget } from "./duration.js";

describe("durations", () => {
  it.each([
    ["250ms", 250],
    ["5s", 5000],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["300", 300],
    [" 10 ms ", 10],
    [42, 42],
  ])("%j is %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["", "5h", "-1s", "fast", "1e3", Number.NaN, -5])("%j is not a duration", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it.each([
    ["p95 < 300ms", { percentile: 95, budgetMs: 300 }],
    ["p99<1s", { percentile: 99, budgetMs: 1000 }],
    ["p99.9 < 2s", { percentile: 99.9, budgetMs: 2000 }],
    ["p100 < 5", { percentile: 100, budgetMs: 5 }],
  ])("%j is a percentile budget", (input, budget) => {
    expect(parsePercentileBudget(input)).toEqual(budget);
  });

  it.each(["p0 < 1s", "95 < 300ms", "p95 > 300ms", "p95 < 0ms", "p101 < 1s", "p95 <"])("%j is not a percentile budget", (input) => {
    expect(parsePercentileBudget(input)).toBeUndefined();
  });
});
