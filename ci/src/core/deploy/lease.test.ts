import { describe, expect, it } from "vitest";
import { leaseDecision, microTime, type Lease } from "./lease.js";

const NOW = new Date("2026-01-31T12:00:00.000Z");
const ME = "ci@runner-1:100:abc123";
const OTHER = "alice@laptop:200:def456";

const lease = (spec: Lease["spec"]): Lease => ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "helloagents-deploy", namespace: "ns" }, spec });

describe("lease: who may deploy now", () => {
  it.each<[string, Lease | undefined, ReturnType<typeof leaseDecision>]>([
    ["no Lease at all is free", undefined, { kind: "free" }],
    ["a Lease without a holder (released) is free", lease({ leaseDurationSeconds: 60, renewTime: "2026-01-31T11:59:50.000000Z" }), { kind: "free" }],
    ["a Lease with an empty holder is free", lease({ holderIdentity: "", renewTime: "2026-01-31T11:59:50.000000Z" }), { kind: "free" }],
    ["our own Lease is ours, however old", lease({ holderIdentity: ME, leaseDurationSeconds: 60, renewTime: "2026-01-30T00:00:00.000000Z" }), { kind: "ours" }],
    [
      "another holder renewed 10 s ago with 60 s duration holds it, expiring 50 s from now",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, acquireTime: "2026-01-31T11:58:00.000000Z", renewTime: "2026-01-31T11:59:50.000000Z" }),
      { kind: "held", holder: OTHER, since: "2026-01-31T11:58:00.000Z", expiresAt: "2026-01-31T12:00:50.000Z" },
    ],
    [
      "renew time given as Date objects (client-node's deserializer) counts the same",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, acquireTime: new Date("2026-01-31T11:58:00Z"), renewTime: new Date("2026-01-31T11:59:50Z") }),
      { kind: "held", holder: OTHER, since: "2026-01-31T11:58:00.000Z", expiresAt: "2026-01-31T12:00:50.000Z" },
    ],
    [
      "without a renew time the acquire time counts",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, acquireTime: "2026-01-31T11:59:30.000000Z" }),
      { kind: "held", holder: OTHER, since: "2026-01-31T11:59:30.000Z", expiresAt: "2026-01-31T12:00:30.000Z" },
    ],
    [
      "held without an acquire time has no 'since'",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, renewTime: "2026-01-31T11:59:50.000000Z" }),
      { kind: "held", holder: OTHER, expiresAt: "2026-01-31T12:00:50.000Z" },
    ],
    [
      "not renewed within its duration is stale (the holder died)",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, renewTime: "2026-01-31T11:58:59.000000Z" }),
      { kind: "stale", holder: OTHER, renewedAt: "2026-01-31T11:58:59.000Z" },
    ],
    [
      "expiring exactly now is stale",
      lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, renewTime: "2026-01-31T11:59:00.000000Z" }),
      { kind: "stale", holder: OTHER, renewedAt: "2026-01-31T11:59:00.000Z" },
    ],
    ["a holder that never wrote a time is stale", lease({ holderIdentity: OTHER, leaseDurationSeconds: 60 }), { kind: "stale", holder: OTHER }],
    ["an unreadable renew time counts as no time (stale), not as an error", lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, renewTime: "yesterday" }), { kind: "stale", holder: OTHER }],
    ["an invalid Date counts as no time (stale)", lease({ holderIdentity: OTHER, leaseDurationSeconds: 60, renewTime: new Date(Number.NaN) }), { kind: "stale", holder: OTHER }],
  ])("%s", (_name, current, expected) => {
    expect(leaseDecision(current, ME, NOW)).toEqual(expected);
  });
});

describe("lease: MicroTime", () => {
  it.each([
    ["milliseconds become six fractional digits", "2026-01-31T12:00:00.123Z", "2026-01-31T12:00:00.123000Z"],
    ["a whole second still has six digits", "2026-01-31T12:00:00.000Z", "2026-01-31T12:00:00.000000Z"],
  ])("%s", (_name, iso, expected) => {
    expect(microTime(new Date(iso))).toBe(expected);
    expect(microTime(new Date(iso))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("reads back to the same instant", () => {
    const at = new Date("2026-06-01T08:09:10.456Z");
    expect(Date.parse(microTime(at))).toBe(at.getTime());
  });
});
