import { describe, expect, it } from "vitest";
import { lockDecision, lockTagValue, parseLockTag } from "./ecs-lock.js";

const NOW = new Date("2026-01-31T12:00:00.000Z");
const tag = (value: string) => [{ key: "other", value: "x" }, { key: "helloagents:deploy-lock", value }];

describe("ecs: the lock tag on the service", () => {
  it("writes holder and expiry in characters ECS tags allow, and reads them back", () => {
    const value = lockTagValue("octo cat@runner#1:42:abc", new Date("2026-01-31T12:02:00Z"));
    expect(value).toBe("octo cat@runner_1:42:abc until 2026-01-31T12:02:00.000Z");
    expect(value).toMatch(/^[A-Za-z0-9 _.:/=+\-@]{1,256}$/);
    expect(parseLockTag(value)).toEqual({ holder: "octo cat@runner_1:42:abc", expiresAt: "2026-01-31T12:02:00.000Z" });
    expect(parseLockTag("garbage")).toBeUndefined();
  });

  it.each([
    ["no tag: free", [], "free"],
    ["another holder, not expired: held", tag("bob@ci:1:aaa until 2026-01-31T12:01:00.000Z"), "held"],
    ["another holder, expired: stale (taken over)", tag("bob@ci:1:aaa until 2026-01-31T11:59:59.000Z"), "stale"],
    ["expiring exactly now: stale", tag("bob@ci:1:aaa until 2026-01-31T12:00:00.000Z"), "stale"],
    ["this run's own tag: ours", tag("me@ci:2:bbb until 2026-01-31T12:01:00.000Z"), "ours"],
    ["an unreadable value: stale", tag("who knows"), "stale"],
  ] as const)("%s", (_name, tags, kind) => {
    expect(lockDecision(tags, "me@ci:2:bbb", NOW).kind).toBe(kind);
  });

  it("a held lock names the holder and its expiry", () => {
    expect(lockDecision(tag("bob@ci:1:aaa until 2026-01-31T12:01:00.000Z"), "me", NOW)).toEqual({ kind: "held", holder: "bob@ci:1:aaa", expiresAt: "2026-01-31T12:01:00.000Z" });
  });
});
