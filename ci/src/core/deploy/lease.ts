/**
 * The deploy lock: one coordination.k8s.io Lease per environment namespace. A deploy takes it before changing anything
 * and renews it while it runs; a second deploy is refused, naming the holder; a Lease nobody renewed within its
 * duration is stale and may be taken over (the holder died).
 */
import type { V1ObjectMeta } from "@kubernetes/client-node";

/** A coordination.k8s.io/v1 Lease as read and written as JSON (times are RFC 3339 MicroTime strings). */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: V1ObjectMeta;
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string | Date; renewTime?: string | Date; leaseTransitions?: number };
}

export type LeaseDecision =
  | { kind: "free" }
  | { kind: "ours" }
  | { kind: "stale"; holder: string; renewedAt?: string }
  | { kind: "held"; holder: string; since?: string; expiresAt: string };

/** Milliseconds of a Date or RFC 3339 string; undefined when absent or unreadable (never NaN, which toISOString throws on). */
function time(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" && value !== "" ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/** What a deploy identified as `identity` may do with the current Lease at time `now`. */
export function leaseDecision(lease: Lease | undefined, identity: string, now: Date): LeaseDecision {
  const holder = lease?.spec?.holderIdentity;
  if (!lease || !holder) return { kind: "free" };
  if (holder === identity) return { kind: "ours" };
  const renewed = time(lease.spec?.renewTime) ?? time(lease.spec?.acquireTime);
  const duration = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
  const renewedAt = renewed !== undefined ? new Date(renewed).toISOString() : undefined;
  if (renewed === undefined || renewed + duration <= now.getTime()) return { kind: "stale", holder, ...(renewedAt ? { renewedAt } : {}) };
  const since = time(lease.spec?.acquireTime);
  return { kind: "held", holder, ...(since !== undefined ? { since: new Date(since).toISOString() } : {}), expiresAt: new Date(renewed + duration).toISOString() };
}

/** A Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
