import type { V1ContainerStatus, V1Deployment, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Verdict } from "../../schemas/health.js";
import { workloadCheck, workloadsNotRead, type ReadFailureKind, type WorkloadInput } from "./workloads.js";

const URL_ = "https://127.0.0.1:6443/apis/apps/v1/namespaces/ns/deployments/helloagents-backend-blue";

const deployment = (desired: number, ready: number): V1Deployment => ({ metadata: { name: "helloagents-backend-blue" }, spec: { replicas: desired, selector: {}, template: {} }, status: { readyReplicas: ready } });

function status(restarts = 0, waiting?: string, exitCode?: number): V1ContainerStatus {
  return {
    name: "backend",
    image: "x",
    imageID: "",
    ready: waiting === undefined,
    restartCount: restarts,
    state: waiting ? { waiting: { reason: waiting } } : { running: {} },
    ...(exitCode !== undefined ? { lastState: { terminated: { exitCode } } } : {}),
  };
}

const pod = (name: string, container: V1ContainerStatus, deleting = false): V1Pod => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: new Date() } : {}) },
  status: { phase: "Running", containerStatuses: [container] },
});

const input = (extra: Partial<WorkloadInput>): WorkloadInput => ({
  app: "backend",
  service: { exists: true, colour: "blue" },
  deployment: deployment(2, 2),
  pods: [pod("p1", status()), pod("p2", status())],
  url: URL_,
  durationMs: 12,
  ...extra,
});

/** The verdict and each assertion as `name:ok/severity`. */
function summary(input: WorkloadInput): { verdict: Verdict; failed: string[] } {
  const check = workloadCheck(input);
  return { verdict: check.verdict, failed: check.assertions.filter((a) => !a.ok).map((a) => `${a.assertion}/${a.severity}`) };
}

describe("workloads: the active colour's Deployment judged as a health check", () => {
  it.each<[string, Partial<WorkloadInput>, Verdict, string[]]>([
    ["all desired replicas ready, no restarts, nothing waiting: pass", {}, "pass", []],
    ["no ready replica: fail (the app is down)", { deployment: deployment(2, 0), pods: [pod("p1", status(0, "ContainerCreating"))] }, "fail", ["ready replicas/fail"]],
    ["fewer ready than desired: warn (degraded)", { deployment: deployment(2, 1) }, "warn", ["ready replicas/warn"]],
    ["desired zero on the active colour: fail", { deployment: deployment(0, 0), pods: [] }, "fail", ["ready replicas/fail"]],
    ["a container in CrashLoopBackOff: fail, even with other pods ready", { deployment: deployment(2, 1), pods: [pod("p1", status()), pod("p2", status(3, "CrashLoopBackOff", 1))] }, "fail", ["ready replicas/warn", "waiting reasons/fail", "restarts/warn"]],
    ["ImagePullBackOff: fail", { deployment: deployment(1, 0), pods: [pod("p1", status(0, "ImagePullBackOff"))] }, "fail", ["ready replicas/fail", "waiting reasons/fail"]],
    ["a waiting reason that resolves by itself is reported but does not fail", { deployment: deployment(2, 2), pods: [pod("p1", status()), pod("p2", status(0, "ContainerCreating"))] }, "pass", []],
    ["restarts above zero on ready pods: warn", { pods: [pod("p1", status(2)), pod("p2", status())] }, "warn", ["restarts/warn"]],
    ["a terminating pod's restarts and crash do not count", { pods: [pod("p1", status()), pod("p2", status()), pod("old", status(9, "CrashLoopBackOff", 137), true)] }, "pass", []],
    ["the active Service is missing: fail", { service: { exists: false }, deployment: undefined, pods: [] }, "fail", ["active Service/fail"]],
    ["the active Service selects no colour: fail", { service: { exists: true }, deployment: undefined, pods: [] }, "fail", ["active Service/fail"]],
    ["the selected colour's Deployment is missing: fail", { deployment: undefined, pods: [] }, "fail", ["Deployment/fail"]],
  ])("%s", (_name, extra, verdict, failed) => {
    expect(summary(input(extra))).toEqual({ verdict, failed });
  });

  it("carries what it observed: counts, the waiting reasons, the crash with its exit code and restarts", () => {
    const check = workloadCheck(input({ deployment: deployment(2, 1), pods: [pod("p1", status(1)), pod("p2", status(4, "CrashLoopBackOff", 1))] }));
    expect(check).toMatchObject({ name: "workload-backend", url: URL_, attempts: 1, durationMs: 12, latenciesMs: [] });
    expect(check.assertions).toEqual([
      { assertion: "ready replicas", expected: "== 2 (at least 1)", observed: 1, ok: false, severity: "warn", detail: "helloagents-backend-blue (blue): 1 of 2 ready" },
      { assertion: "waiting reasons", expected: "none that waiting does not fix", observed: ["CrashLoopBackOff"], ok: false, severity: "fail", detail: "pod p2: container backend is in CrashLoopBackOff (last exit code 1, restarted 4 times)" },
      { assertion: "restarts", expected: "== 0", observed: 5, ok: false, severity: "warn", detail: "p1: 1, p2: 4" },
    ]);
  });

  it("names the missing objects in the detail", () => {
    expect(workloadCheck(input({ service: { exists: false }, deployment: undefined })).assertions[0]?.detail).toBe("Service helloagents-backend not found: nothing is deployed here yet");
    expect(workloadCheck(input({ app: "frontend", service: { exists: true, colour: "green" }, deployment: undefined })).assertions[0]?.detail).toBe(
      "Deployment helloagents-frontend-green not found, though helloagents-frontend selects green",
    );
  });

  it("lists at most three restarted pods", () => {
    const pods = ["a", "b", "c", "d", "e"].map((n) => pod(n, status(1)));
    expect(workloadCheck(input({ deployment: deployment(5, 5), pods })).assertions.at(-1)?.detail).toBe("a: 1, b: 1, c: 1, and 2 more pod(s)");
  });
});

describe("workloads: a cluster that could not be read", () => {
  it.each<[string, ReadFailureKind, Verdict]>([
    ["nothing answered: unreachable", "unreachable", "unreachable"],
    ["the API server refused the credentials: fail", "forbidden", "fail"],
    ["the API server rejected a request: fail", "rejected", "fail"],
  ])("%s, one check per app with the reason", (_name, kind, verdict) => {
    const checks = workloadsNotRead(["backend", "frontend"], "https://127.0.0.1:6443/api/v1/namespaces/ns", { kind, message: "the reason" }, 30);
    expect(checks.map((c) => [c.name, c.verdict, c.error?.kind])).toEqual([
      ["workload-backend", verdict, kind],
      ["workload-frontend", verdict, kind],
    ]);
    expect(checks[0]?.assertions).toEqual([{ assertion: "response", expected: "an answer from the API server", observed: "the reason", ok: false, severity: "fail" }]);
  });
});
