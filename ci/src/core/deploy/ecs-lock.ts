/**
 * The deploy lock of an ECS environment: a tag on the service, `helloagents:deploy-lock = <holder> until <time>`,
 * renewed while the run lasts. ECS tags have no compare-and-set, so the tag only names who is deploying; together
 * with "no service deployment in progress" (checked before the update) and the workflow's concurrency group it keeps
 * two runs apart. A tag nobody renewed past its time is stale and taken over, like the Kubernetes Lease.
 */
import type { Tag } from "@aws-sdk/client-ecs";
import { TAG } from "./ecs-task-definition.js";

export interface LockTag {
  holder: string;
  expiresAt: string;
}

/** Characters an ECS tag value may hold (letters, digits, spaces and _ . : / = + - @), at most 256. */
export function lockTagValue(holder: string, expiresAt: Date): string {
  const safe = holder.replace(/[^A-Za-z0-9 _.:/=+\-@]/g, "_").slice(0, 200);
  return `${safe} until ${expiresAt.toISOString()}`;
}

export function parseLockTag(value: string | undefined): LockTag | undefined {
  const match = value ? /^(.+) until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)$/.exec(value) : null;
  return match ? { holder: match[1]!, expiresAt: match[2]! } : undefined;
}

export type LockDecision =
  | { kind: "free" }
  | { kind: "ours" }
  | { kind: "held"; holder: string; expiresAt: string }
  | { kind: "stale"; holder: string; expiredAt: string };

/** May `identity` take the lock at `now`, given the service's tags? An unreadable value counts as stale. */
export function lockDecision(tags: readonly Tag[] | undefined, identity: string, now: Date): LockDecision {
  const raw = tags?.find((t) => t.key === TAG.lock)?.value;
  if (raw === undefined) return { kind: "free" };
  const lock = parseLockTag(raw);
  if (!lock) return { kind: "stale", holder: raw.slice(0, 80), expiredAt: "unknown" };
  if (lock.holder === lockTagValue(identity, now).replace(/ until .*$/, "")) return { kind: "ours" };
  if (Date.parse(lock.expiresAt) <= now.getTime()) return { kind: "stale", holder: lock.holder, expiredAt: lock.expiresAt };
  return { kind: "held", holder: lock.holder, expiresAt: lock.expiresAt };
}
