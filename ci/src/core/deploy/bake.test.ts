import { describe, expect, it } from "vitest";
import { bakeDecision, plannedRounds, type BakeRound } from "./bake.js";

const rounds = (pattern: string): BakeRound[] =>
  [...pattern].map((c, i) => ({ at: `2026-01-31T12:00:${String(i).padStart(2, "0")}Z`, ok: c === "+", detail: c === "+" ? "pass" : `round ${i + 1}: backend-liveness fail` }));

describe("bake: planned rounds", () => {
  it.each([
    ["a bake of 2m every 10s is 12 rounds", 120_000, 10_000, 12],
    ["a partial interval does not add a round", 25_000, 10_000, 2],
    ["a zero bake still probes once", 0, 10_000, 1],
    ["a bake shorter than one interval probes once", 5_000, 10_000, 1],
  ])("%s", (_name, bakeMs, intervalMs, expected) => {
    expect(plannedRounds(bakeMs, intervalMs)).toBe(expected);
  });
});

describe("bake: decision after each round (+ passed, x failed)", () => {
  it.each([
    ["no round yet: continue", "", 10, 0.2, "continue"],
    ["failures within the allowance mid-way: continue", "x+x", 10, 0.2, "continue"],
    ["fails as soon as the ratio cannot be met (3 of 10 at most 2 allowed), without waiting for the end", "xxx", 10, 0.2, "failed"],
    ["passes at the end with failures inside the allowance", "x+x+++++++", 10, 0.2, "passed"],
    ["passes at the end with no failure", "++++++++++", 10, 0.2, "passed"],
    ["a zero bake is one round: passes when it passes", "+", plannedRounds(0, 500), 0.25, "passed"],
    ["a zero bake is one round: fails when it fails", "x", plannedRounds(0, 500), 0.25, "failed"],
    ["ratio 0 tolerates no failure", "+x", 5, 0, "failed"],
    ["ratio 1 tolerates every failure", "xxxxx", 5, 1, "passed"],
    // 0.57 × 100 is 56.99999999999999 in floating point: the allowance must still be 57.
    ["a ratio that floating point rounds down still allows its share (57 of 100 at 0.57)", "x".repeat(57) + "+".repeat(43), 100, 0.57, "passed"],
    ["one more than that share fails (58 of 100 at 0.57)", "x".repeat(58), 100, 0.57, "failed"],
  ] as const)("%s", (_name, pattern, planned, ratio, expected) => {
    expect(bakeDecision(rounds(pattern), planned, ratio).state).toBe(expected);
  });

  it("a failure names the counts, the allowance and the last failed round", () => {
    const decision = bakeDecision(rounds("+xxx"), 10, 0.2);
    expect(decision).toEqual({ state: "failed", detail: "high error rate: 3 of 4 health rounds failed (at most 2 of 10 allowed); last: round 4: backend-liveness fail" });
  });

  it("a pass says how many rounds passed and failed", () => {
    expect(bakeDecision(rounds("+x++"), 4, 0.25)).toEqual({ state: "passed", detail: "3 of 4 health rounds passed (1 failed, 1 allowed)" });
  });
});
