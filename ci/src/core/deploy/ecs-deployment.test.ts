import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { RECORD_SCHEMA, type DeployRecord } from "../../schemas/deploy-record.js";
import { blueGreenConfiguration, busyDeployments, ecsReason, followDecision, ourDeployment, settleDeadRun } from "./ecs-deployment.js";

const at = (iso: string) => new Date(iso);
const deployment = (patch: Partial<ServiceDeployment>): ServiceDeployment => ({ serviceDeploymentArn: "arn:aws:ecs:eu-west-1:1:service-deployment/c/s/abc", status: "IN_PROGRESS", ...patch });
const pauseHook = { targetType: "PAUSE" as const, lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT" as const] };

describe("ecs: the deployment configuration of an update", () => {
  const strategy = { bakeTime: 300_000, hookTimeout: 1_800_000 };

  it("asks for BLUE_GREEN with the bake in minutes, one PAUSE hook at POST_TEST_TRAFFIC_SHIFT that rolls back on timeout, and the alarms", () => {
    expect(blueGreenConfiguration(undefined, strategy, ["a-5xx", "a-latency"])).toEqual({
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: 5,
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"], timeoutConfiguration: { timeoutInMinutes: 30, action: "ROLLBACK" } }],
      alarms: { alarmNames: ["a-5xx", "a-latency"], enable: true, rollback: true },
    });
  });

  it.each([
    ["keeps the service's Lambda hooks and task percentages, replaces an earlier pause hook of its own", { maximumPercent: 200, lifecycleHooks: [{ targetType: "AWS_LAMBDA" as const, hookTargetArn: "arn:lambda", lifecycleStages: ["PRE_SCALE_UP" as const] }, { ...pauseHook, timeoutConfiguration: { timeoutInMinutes: 99 } }] }, 2],
    ["drops canary and linear settings (they belong to other strategies)", { strategy: "CANARY" as const, canaryConfiguration: { canaryPercent: 10 }, linearConfiguration: { stepPercent: 10 } }, 1],
  ])("%s", (_name, live, hooks) => {
    const out = blueGreenConfiguration(live, strategy, []);
    expect(out.strategy).toBe("BLUE_GREEN");
    expect(out.lifecycleHooks).toHaveLength(hooks);
    expect(out.lifecycleHooks!.filter((h) => h.targetType === "PAUSE")).toEqual([{ ...pauseHook, timeoutConfiguration: { timeoutInMinutes: 30, action: "ROLLBACK" } }]);
    expect(out).not.toHaveProperty("canaryConfiguration");
    expect(out).not.toHaveProperty("linearConfiguration");
    expect(out).not.toHaveProperty("alarms");
    if ("maximumPercent" in live) expect(out.maximumPercent).toBe(200);
  });
});

describe("ecs: what a described service deployment means", () => {
  it.each([
    ["scaling up: keep waiting, saying where", deployment({ lifecycleStage: "SCALE_UP", targetServiceRevision: { runningTaskCount: 1, requestedTaskCount: 2 } }), false, { state: "waiting", detail: "IN_PROGRESS at SCALE_UP, new revision 1/2 running" }],
    ["the pause hook awaits action: answer it", deployment({ lifecycleStage: "POST_TEST_TRAFFIC_SHIFT", lifecycleHookDetails: [{ hookId: "h1", targetType: "PAUSE", status: "AWAITING_ACTION" }] }), false, { state: "hook", hookId: "h1" }],
    ["at the stage but the hook still runs: wait", deployment({ lifecycleStage: "POST_TEST_TRAFFIC_SHIFT", lifecycleHookDetails: [{ hookId: "h1", targetType: "PAUSE", status: "IN_PROGRESS" }] }), false, { state: "waiting" }],
    ["a Lambda hook awaiting is not ours: wait", deployment({ lifecycleStage: "POST_TEST_TRAFFIC_SHIFT", lifecycleHookDetails: [{ hookId: "h1", targetType: "AWS_LAMBDA", status: "AWAITING_ACTION" }] }), false, { state: "waiting" }],
    ["SUCCESSFUL: live", deployment({ status: "SUCCESSFUL", lifecycleStage: "CLEAN_UP" }), true, { state: "live" }],
    ["rolled back while baking: after production", deployment({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "BAKE_TIME", rollback: { reason: "alarm" } }), false, { state: "rolled-back", afterProduction: true, reason: "alarm" }],
    ["rolled back before the shift, never seen in production: before", deployment({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" }), false, { state: "rolled-back", afterProduction: false }],
    ["rolled back at an early stage after the run saw production: after", deployment({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "RECONCILE_SERVICE" }), true, { state: "rolled-back", afterProduction: true }],
    ["the rollback failed: broken", deployment({ status: "ROLLBACK_FAILED", statusReason: "tasks failed" }), true, { state: "broken", reason: "ECS could not roll back: tasks failed" }],
    ["stopped without a rollback: broken", deployment({ status: "STOPPED" }), false, { state: "broken" }],
    ["a rollback in progress: wait", deployment({ status: "ROLLBACK_IN_PROGRESS", lifecycleStage: "BAKE_TIME" }), true, { state: "waiting" }],
  ] as const)("%s", (_name, d, seen, expected) => {
    expect(followDecision(d, seen)).toMatchObject(expected);
  });

  it.each([
    ["rollback reason and status reason, each once", { rollback: { reason: "Circuit breaker." }, statusReason: "Circuit breaker." }, "Circuit breaker."],
    ["an alarm that fired and is not named yet", { statusReason: "Deployment failed.", alarms: { triggeredAlarmNames: ["a-5xx"] } }, "Deployment failed.; alarm a-5xx in ALARM"],
    ["an alarm already named in the reason", { rollback: { reason: "alarm a-5xx is in ALARM" }, alarms: { triggeredAlarmNames: ["a-5xx"] } }, "alarm a-5xx is in ALARM"],
    ["nothing at all", {}, "ECS gave no reason"],
  ])("ECS's reason: %s", (_name, patch, expected) => {
    expect(ecsReason(deployment(patch))).toBe(expected);
  });
});

describe("ecs: which deployments hold the service, and which one is this run's", () => {
  const list = [
    deployment({ serviceDeploymentArn: "old-done", status: "SUCCESSFUL", createdAt: at("2026-01-01T10:00:00Z") }),
    deployment({ serviceDeploymentArn: "rolling-back", status: "ROLLBACK_IN_PROGRESS", createdAt: at("2026-01-01T11:00:00Z") }),
    deployment({ serviceDeploymentArn: "pending", status: "PENDING", createdAt: at("2026-01-01T12:00:00Z") }),
    deployment({ serviceDeploymentArn: "stopped", status: "STOPPED", createdAt: at("2026-01-01T12:30:00Z") }),
  ];

  it("in progress, pending, rolling back or stopping hold it, newest first; finished ones do not", () => {
    expect(busyDeployments(list).map((d) => d.serviceDeploymentArn)).toEqual(["pending", "rolling-back"]);
    expect(busyDeployments([])).toEqual([]);
  });

  it.each([
    ["the newest one created after the update", at("2026-01-01T11:59:58Z"), "stopped"],
    ["within the clock skew allowance", at("2026-01-01T12:30:04Z"), "stopped"],
    ["none created since: none", at("2026-01-01T13:00:00Z"), undefined],
  ])("%s", (_name, updatedAt, expected) => {
    expect(ourDeployment(list, updatedAt)?.serviceDeploymentArn).toBe(expected);
  });
});

describe("ecs: a record a dead run left running, settled by what ECS made of its deployment", () => {
  const running: DeployRecord = {
    schema: RECORD_SCHEMA, revision: 4, kind: "deploy", env: "staging", version: "v1.2.3", images: { backend: "b", frontend: "f" }, actor: "octocat",
    startedAt: "2026-01-31T12:00:00Z", result: "running", reason: "running", serviceDeployment: "arn:sd",
  };
  const NOW = "2026-01-31T13:00:00.000Z";
  it.each([
    ["ECS finished it: deployed, finished when ECS did", deployment({ status: "SUCCESSFUL", finishedAt: at("2026-01-31T12:10:00Z") }), "deployed", "2026-01-31T12:10:00.000Z", /^the run stopped, but ECS finished its deployment \(found by a later deploy\)$/],
    ["ECS rolled it back in the bake: rolled-back, with ECS's reason", deployment({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "BAKE_TIME", rollback: { reason: "alarm x" } }), "rolled-back", NOW, /^the run stopped and ECS rolled back: alarm x/],
    ["the hook timed out before production: rejected", deployment({ status: "ROLLBACK_SUCCESSFUL", lifecycleStage: "POST_TEST_TRAFFIC_SHIFT", rollback: { reason: "The lifecycle hook timed out." } }), "rejected", NOW, /hook timed out/],
    ["ECS could not roll back: failed", deployment({ status: "ROLLBACK_FAILED", statusReason: "tasks failed" }), "failed", NOW, /ECS could not roll back: tasks failed/],
    ["no deployment (died before the update): interrupted", undefined, "interrupted", NOW, /^the run stopped before finishing/],
  ] as const)("%s", (_name, d, result, finishedAt, reason) => {
    const settled = settleDeadRun(running, d, NOW, "deploy");
    expect(settled).toMatchObject({ revision: 4, version: "v1.2.3", result, finishedAt });
    expect(settled.reason).toMatch(reason);
  });
});
