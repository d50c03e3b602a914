import type { V1ContainerStatus, V1Deployment, V1DeploymentStatus, V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { combineReadiness, deploymentReadiness, fatalPodProblem, jobReadiness, type Readiness } from "./readiness.js";

const NAME = "helloagents-backend-green";

function deployment(status: V1DeploymentStatus, replicas = 2, generation = 3): V1Deployment {
  return { metadata: { name: NAME, generation }, spec: { replicas, selector: {}, template: {} }, status };
}

/** The status of a healthy rollout of `n` replicas at generation 3. */
const settled = (n = 2): V1DeploymentStatus => ({ observedGeneration: 3, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n });

function pod(name: string, containers: V1ContainerStatus[] = [], extra: Partial<NonNullable<V1Pod["status"]>> = {}, deleting = false): V1Pod {
  return {
    metadata: { name, ...(deleting ? { deletionTimestamp: new Date("2026-01-31T12:00:00Z") } : {}) },
    status: { phase: "Running", containerStatuses: containers, ...extra },
  };
}

function waiting(reason: string, opts: { exitCode?: number; restarts?: number; message?: string; name?: string } = {}): V1ContainerStatus {
  return {
    name: opts.name ?? "backend",
    image: "x",
    imageID: "",
    ready: false,
    restartCount: opts.restarts ?? 0,
    state: { waiting: { reason, ...(opts.message ? { message: opts.message } : {}) } },
    ...(opts.exitCode !== undefined ? { lastState: { terminated: { exitCode: opts.exitCode } } } : {}),
  };
}

const crashing = pod("backend-green-abc", [waiting("CrashLoopBackOff", { exitCode: 1, restarts: 4, message: "back-off 40s restarting failed container\nsecond line" })]);

describe("readiness: a Deployment, rules in their documented order", () => {
  it.each<[string, V1Deployment | undefined, V1Pod[], Readiness]>([
    ["a missing Deployment is waiting: not created yet", undefined, [], { state: "waiting", detail: "not created yet" }],
    [
      "1. generation not observed yet: waiting, even with a crashing pod and a passed deadline",
      deployment({ observedGeneration: 2, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] }),
      [crashing],
      { state: "waiting", detail: `${NAME}: waiting for the controller to see generation 3` },
    ],
    [
      "2. CrashLoopBackOff fails with the last exit code and restarts, before the deadline rule",
      deployment({ ...settled(), availableReplicas: 0, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" }] }),
      [crashing],
      { state: "failed", detail: `${NAME}: pod backend-green-abc: container backend is in CrashLoopBackOff (last exit code 1, restarted 4 times): back-off 40s restarting failed container` },
    ],
    [
      "2. ImagePullBackOff fails with the registry's message",
      deployment({ observedGeneration: 3, replicas: 2, updatedReplicas: 2 }),
      [pod("p1", [waiting("ImagePullBackOff", { message: 'Back-off pulling image "ghcr.io/x@sha256:00"' })])],
      { state: "failed", detail: `${NAME}: pod p1: container backend is in ImagePullBackOff: Back-off pulling image "ghcr.io/x@sha256:00"` },
    ],
    [
      "2. restarts without an exit code are still reported, singular for one",
      deployment({ observedGeneration: 3 }),
      [pod("p1", [waiting("CreateContainerConfigError", { restarts: 1 })])],
      { state: "failed", detail: `${NAME}: pod p1: container backend is in CreateContainerConfigError (restarted 1 time)` },
    ],
    [
      "3. ProgressDeadlineExceeded fails: a plain Deployment never rolls back by itself",
      deployment({ ...settled(), availableReplicas: 0, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "x" has timed out progressing.' }] }),
      [pod("p1")],
      { state: "failed", detail: `${NAME}: progress deadline exceeded (ReplicaSet "x" has timed out progressing.)` },
    ],
    [
      "a Progressing condition that is True is not a failure",
      deployment({ ...settled(), conditions: [{ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }] }),
      [],
      { state: "ready", detail: `${NAME}: 2 of 2 replicas available` },
    ],
    ["4. fewer replicas updated than wanted: waiting", deployment({ observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }), [], { state: "waiting", detail: `${NAME}: 1 of 2 replicas updated` }],
    ["4. old replicas still there: waiting", deployment({ observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 3 }), [], { state: "waiting", detail: `${NAME}: 1 old replica(s) terminating` }],
    ["4. updated but not all available: waiting", deployment({ observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), [], { state: "waiting", detail: `${NAME}: 1 of 2 replicas available` }],
    ["4. all updated, none old, all available: ready", deployment(settled()), [pod("p1"), pod("p2")], { state: "ready", detail: `${NAME}: 2 of 2 replicas available` }],
    ["no status at all yet (generation 1 unseen): waiting", { metadata: { name: NAME, generation: 1 }, spec: { replicas: 2, selector: {}, template: {} } }, [], { state: "waiting", detail: `${NAME}: waiting for the controller to see generation 1` }],
    ["scaled to zero and settled: ready with 0 of 0", deployment({ observedGeneration: 3 }, 0), [], { state: "ready", detail: `${NAME}: 0 of 0 replicas available` }],
  ])("%s", (_name, d, pods, expected) => {
    expect(deploymentReadiness(d, pods)).toEqual(expected);
  });
});

describe("readiness: pod problems that waiting does not fix", () => {
  it.each<[string, V1Pod[], string | undefined]>([
    ["healthy pods: none", [pod("p1"), pod("p2")], undefined],
    ["a waiting reason that resolves by itself (ContainerCreating): none", [pod("p1", [waiting("ContainerCreating")])], undefined],
    ["a crashing pod that is being deleted: ignored", [pod("old", [waiting("CrashLoopBackOff", { exitCode: 137 })], {}, true)], undefined],
    ["a Failed pod, with its reason", [pod("p1", [], { phase: "Failed", reason: "Evicted" })], "pod p1 failed (Evicted)"],
    ["a Failed pod without a reason", [pod("p1", [], { phase: "Failed" })], "pod p1 failed"],
    ["ErrImagePull", [pod("p1", [waiting("ErrImagePull")])], "pod p1: container backend is in ErrImagePull"],
    ["an init container counts", [pod("p1", [], { initContainerStatuses: [waiting("CrashLoopBackOff", { name: "init", exitCode: 2, restarts: 2 })] })], "pod p1: container init is in CrashLoopBackOff (last exit code 2, restarted 2 times)"],
    ["the first problem wins", [pod("p1", [waiting("ErrImagePull")]), pod("p2", [waiting("CrashLoopBackOff")])], "pod p1: container backend is in ErrImagePull"],
  ])("%s", (_name, pods, expected) => {
    expect(fatalPodProblem(pods)).toBe(expected);
  });
});

describe("readiness: the migration Job", () => {
  const job = (conditions: NonNullable<V1Job["status"]>["conditions"], active = 0): V1Job => ({ metadata: { name: "helloagents-migrate-r4" }, status: { active, conditions } });

  it.each<[string, V1Job | undefined, V1Pod[], Readiness]>([
    ["not created yet: waiting", undefined, [], { state: "waiting", detail: "not created yet" }],
    ["running: waiting with the active pod count", job([], 1), [], { state: "waiting", detail: "helloagents-migrate-r4: 1 pod(s) running" }],
    ["Complete: ready", job([{ type: "Complete", status: "True" }]), [], { state: "ready", detail: "helloagents-migrate-r4 completed" }],
    ["SuccessCriteriaMet: ready", job([{ type: "SuccessCriteriaMet", status: "True" }]), [], { state: "ready", detail: "helloagents-migrate-r4 completed" }],
    ["a Complete condition that is False is not done", job([{ type: "Complete", status: "False" }], 1), [], { state: "waiting", detail: "helloagents-migrate-r4: 1 pod(s) running" }],
    [
      "Failed: failed with reason and message",
      job([{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }]),
      [],
      { state: "failed", detail: "helloagents-migrate-r4 failed: BackoffLimitExceeded (Job has reached the specified backoff limit)" },
    ],
    ["FailureTarget: failed", job([{ type: "FailureTarget", status: "True", reason: "DeadlineExceeded" }]), [], { state: "failed", detail: "helloagents-migrate-r4 failed: DeadlineExceeded" }],
    ["Failed without a reason still reads as one clean line", job([{ type: "Failed", status: "True", message: "the pod failed" }]), [], { state: "failed", detail: "helloagents-migrate-r4 failed (the pod failed)" }],
    [
      "a pod that cannot pull the image fails the Job before its backoff limit",
      job([], 1),
      [pod("migrate-x", [waiting("ImagePullBackOff", { name: "migrate" })])],
      { state: "failed", detail: "helloagents-migrate-r4: pod migrate-x: container migrate is in ImagePullBackOff" },
    ],
  ])("%s", (_name, j, pods, expected) => {
    expect(jobReadiness(j, pods)).toEqual(expected);
  });
});

describe("readiness: combining several", () => {
  const ready = (d: string): Readiness => ({ state: "ready", detail: d });
  const wait = (d: string): Readiness => ({ state: "waiting", detail: d });
  const fail = (d: string): Readiness => ({ state: "failed", detail: d });

  it.each<[string, Readiness[], Readiness]>([
    ["failed wins over waiting and ready, with every failed detail", [ready("a"), fail("b"), wait("c"), fail("d")], { state: "failed", detail: "b; d" }],
    ["waiting wins over ready", [ready("a"), wait("b")], { state: "waiting", detail: "b" }],
    ["all ready: ready with every detail", [ready("a"), ready("b")], { state: "ready", detail: "a; b" }],
  ])("%s", (_name, all, expected) => {
    expect(combineReadiness(all)).toEqual(expected);
  });
});
