/**
 * ECS native blue/green, read as decisions: the deployment configuration an update asks for (BLUE_GREEN, the bake
 * time, a PAUSE hook at POST_TEST_TRAFFIC_SHIFT, the alarms), which service deployments count as "in progress" (the
 * lock), which one is this run's, and what a described service deployment means for the run: keep waiting, the hook
 * waits for an answer, live, or ECS rolled back (and why, in ECS's own words).
 */
import type { DeploymentConfiguration, DeploymentLifecycleHook, ServiceDeployment, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import type { EcsStrategy } from "../../schemas/deploy.js";
import type { DeployRecord } from "../../schemas/deploy-record.js";

export const HOOK_STAGE = "POST_TEST_TRAFFIC_SHIFT";

/** Statuses of a service deployment that is still changing the service: a deploy must not start beside it. */
export const BUSY_STATUSES: readonly ServiceDeploymentStatus[] = ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"];

/** Stages after which production traffic has moved (a rollback from there is a flip back of live traffic). */
const PRODUCTION_STAGES = new Set(["PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"]);

const isOurPause = (hook: DeploymentLifecycleHook) => hook.targetType === "PAUSE" && (hook.lifecycleStages ?? []).includes(HOOK_STAGE);

/**
 * The deployment configuration of the update: the live one (its other hooks, task percentages, circuit breaker)
 * with the BLUE_GREEN strategy, the bake time, this pipeline's pause hook and the environment's alarms.
 */
export function blueGreenConfiguration(live: DeploymentConfiguration | undefined, strategy: Pick<EcsStrategy, "bakeTime" | "hookTimeout">, alarms: readonly string[]): DeploymentConfiguration {
  const rest: DeploymentConfiguration = { ...live };
  delete rest.linearConfiguration;
  delete rest.canaryConfiguration;
  const others = (live?.lifecycleHooks ?? []).filter((h) => !isOurPause(h));
  const pause: DeploymentLifecycleHook = {
    targetType: "PAUSE",
    lifecycleStages: [HOOK_STAGE],
    timeoutConfiguration: { timeoutInMinutes: Math.round(strategy.hookTimeout / 60_000), action: "ROLLBACK" },
  };
  return {
    ...rest,
    strategy: "BLUE_GREEN",
    bakeTimeInMinutes: Math.round(strategy.bakeTime / 60_000),
    lifecycleHooks: [...others, pause],
    ...(alarms.length > 0 ? { alarms: { alarmNames: [...alarms], enable: true, rollback: true } } : {}),
  };
}

/** The deployments that hold the service (newest first): a deploy or rollback refuses to start while there is one. */
export function busyDeployments(deployments: readonly ServiceDeployment[]): ServiceDeployment[] {
  return deployments.filter((d) => d.status !== undefined && BUSY_STATUSES.includes(d.status)).sort((a, b) => time(b.createdAt) - time(a.createdAt));
}

const time = (d: Date | undefined) => (d ? d.getTime() : 0);

/** This run's service deployment: the newest one created at or after the update (ECS's clock may lag a little). */
export function ourDeployment(deployments: readonly ServiceDeployment[], updatedAt: Date, skewMs = 5_000): ServiceDeployment | undefined {
  return [...deployments].filter((d) => time(d.createdAt) >= updatedAt.getTime() - skewMs).sort((a, b) => time(b.createdAt) - time(a.createdAt))[0];
}

/** ECS's words for why a deployment rolled back or stopped: rollback reason, status reason, alarms that fired. */
export function ecsReason(d: ServiceDeployment): string {
  const parts = [d.rollback?.reason, d.statusReason].filter((p): p is string => typeof p === "string" && p.trim() !== "");
  const unique = [...new Set(parts.map((p) => p.trim()))];
  const alarms = d.alarms?.triggeredAlarmNames ?? [];
  if (alarms.length > 0 && !unique.some((p) => alarms.some((a) => p.includes(a)))) unique.push(`alarm ${alarms.join(", ")} in ALARM`);
  return unique.join("; ") || "ECS gave no reason";
}

/** `stage SCALE_UP, new revision 1/2 running` for the progress lines. */
export function progressWords(d: ServiceDeployment): string {
  const target = d.targetServiceRevision;
  const tasks = target ? `, new revision ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running` : "";
  return `${d.status ?? "UNKNOWN"} at ${d.lifecycleStage ?? "no stage yet"}${tasks}`;
}

export type FollowDecision =
  | { state: "waiting"; detail: string }
  /** The pause hook waits for CONTINUE or ROLLBACK. */
  | { state: "hook"; hookId: string; expiresAt?: Date; detail: string }
  | { state: "live"; detail: string }
  /** ECS restored the previous revision; `afterProduction`: production traffic had moved to the new revision. */
  | { state: "rolled-back"; afterProduction: boolean; reason: string }
  /** ECS could not restore the previous revision, or the deployment stopped without rolling back: a person must look. */
  | { state: "broken"; reason: string };

/**
 * What a described deployment means. `seenProduction` says whether the run already saw production traffic move (a
 * rollback reported later still restores live traffic). While the deployment runs, only a PAUSE hook at
 * POST_TEST_TRAFFIC_SHIFT that is AWAITING_ACTION stops the wait.
 */
export function followDecision(d: ServiceDeployment, seenProduction: boolean): FollowDecision {
  const production = seenProduction || PRODUCTION_STAGES.has(d.lifecycleStage ?? "");
  switch (d.status) {
    case "SUCCESSFUL":
      return { state: "live", detail: `SUCCESSFUL${d.finishedAt ? ` at ${d.finishedAt.toISOString()}` : ""}` };
    case "ROLLBACK_SUCCESSFUL":
      return { state: "rolled-back", afterProduction: production, reason: ecsReason(d) };
    case "ROLLBACK_FAILED":
      return { state: "broken", reason: `ECS could not roll back: ${ecsReason(d)}` };
    case "STOPPED":
      return { state: "broken", reason: `the deployment was stopped without a rollback: ${ecsReason(d)}` };
    default:
      break;
  }
  if (d.status === "IN_PROGRESS" && d.lifecycleStage === HOOK_STAGE) {
    const hook = (d.lifecycleHookDetails ?? []).find((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION" && h.hookId);
    if (hook) return { state: "hook", hookId: hook.hookId!, ...(hook.expiresAt ? { expiresAt: hook.expiresAt } : {}), detail: `the pause hook waits at ${HOOK_STAGE}${hook.expiresAt ? ` until ${hook.expiresAt.toISOString()}` : ""}` };
  }
  return { state: "waiting", detail: progressWords(d) };
}

/** Did production traffic reach the new revision in what this deployment says (or did the run see it before)? */
export function reachedProduction(d: ServiceDeployment, seen: boolean): boolean {
  return seen || PRODUCTION_STAGES.has(d.lifecycleStage ?? "");
}

/** The stage is the bake (production traffic on the new revision, the old one still running). */
export function isBaking(d: ServiceDeployment): boolean {
  return d.status === "IN_PROGRESS" && d.lifecycleStage === "BAKE_TIME";
}

/**
 * A record a dead run left `running`, settled by what ECS says its service deployment became: ECS goes on without the
 * run, so a deployment it finished is `deployed`, one it rolled back is `rolled-back` (or `rejected` before production
 * traffic moved), one it could not roll back is `failed`; no deployment (the run died before the update) or one ECS no
 * longer knows is `interrupted`.
 */
export function settleDeadRun(record: DeployRecord, deployment: ServiceDeployment | undefined, now: string, foundBy: string): DeployRecord {
  const base = { ...record, finishedAt: deployment?.finishedAt?.toISOString() ?? now };
  const decision = deployment ? followDecision(deployment, false) : undefined;
  switch (decision?.state) {
    case "live":
      return { ...base, result: "deployed", reason: `the run stopped, but ECS finished its deployment (found by a later ${foundBy})` };
    case "rolled-back":
      return { ...base, result: decision.afterProduction ? "rolled-back" : "rejected", reason: `the run stopped and ECS rolled back: ${decision.reason} (found by a later ${foundBy})` };
    case "broken":
      return { ...base, result: "failed", reason: `the run stopped: ${decision.reason} (found by a later ${foundBy})` };
    default:
      return { ...base, finishedAt: now, result: "interrupted", reason: `the run stopped before finishing (found by a later ${foundBy})` };
  }
}
