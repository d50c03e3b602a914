import { describe, expect, it } from "vitest";
import { AwsNotFound, AwsRejected, AwsUnreachable, withRetry } from "./aws.js";

/** A clock whose sleeps only move its hands. */
function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return { slept, monotonicMs: () => now, sleep: async (ms: number) => void (slept.push(ms), (now += ms)) };
}
const err = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name}!`), { name, ...extra });

describe("ecs: one AWS call, retried inside a deadline", () => {
  it("retries throttling and server faults with growing backoff, then returns the answer; one progress line per retry", async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const failures = [err("ThrottlingException"), err("ThrottlingException"), err("ServerException", { $fault: "server" })];
    const value = await withRetry("describe it", async () => {
      const next = failures.shift();
      if (next) throw next;
      return 42;
    }, { deadlineMs: 60_000, clock, random: () => 1, onRetry: (l) => lines.push(l) });
    expect(value).toBe(42);
    expect(clock.slept).toEqual([250, 500, 1000]);
    expect(lines).toEqual([
      "AWS describe it: ThrottlingException: ThrottlingException!; retry 1 in 250 ms",
      "AWS describe it: ThrottlingException: ThrottlingException!; retry 2 in 500 ms",
      "AWS describe it: ServerException: ServerException!; retry 3 in 1000 ms",
    ]);
  });

  it("gives up when the next wait would pass the deadline: unreachable (exit 3), saying how often it tried", async () => {
    const clock = fakeClock();
    const failing = withRetry("list it", () => Promise.reject(err("ThrottlingException")), { deadlineMs: 2_000, clock, random: () => 1 });
    await expect(failing).rejects.toBeInstanceOf(AwsUnreachable);
    await expect(failing).rejects.toThrow("AWS list it: no answer within 2s (4 attempt(s); last: ThrottlingException: ThrottlingException!)");
    await expect(failing).rejects.toMatchObject({ exitCode: 3 });
    expect(clock.slept).toEqual([250, 500, 1000]);
  });

  it.each([
    ["missing credentials: exit 3 at once, with the chain to fix", err("CredentialsProviderError"), AwsUnreachable, /^AWS do it: no credentials \(CredentialsProviderError: CredentialsProviderError!\): no AWS credentials were found/],
    ["expired credentials: exit 3 at once", err("ExpiredTokenException"), AwsUnreachable, /^AWS do it: credentials refused \(ExpiredTokenException: .*\): the AWS credentials have expired/],
    ["a denied permission: exit 3 at once, naming the action", err("AccessDeniedException"), AwsUnreachable, /^AWS do it: not allowed \(AccessDeniedException: .*\): the deploying identity lacks this permission/],
    ["a missing resource", err("ClusterNotFoundException"), AwsNotFound, /^do it: ClusterNotFoundException/],
    ["a refused request", err("InvalidParameterException"), AwsRejected, /^do it: InvalidParameterException/],
  ] as const)("%s", async (_name, error, type, message) => {
    const clock = fakeClock();
    let calls = 0;
    const failing = withRetry("do it", () => {
      calls += 1;
      return Promise.reject(error);
    }, { deadlineMs: 60_000, clock });
    await expect(failing).rejects.toBeInstanceOf(type);
    await expect(failing).rejects.toThrow(message);
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });
});
