/**
 * Is a colour's Deployment ready, still on its way, or failed? Checked in a fixed order (Flagger's isDeploymentReady,
 * plus the pod states a person would look at first), so the first true reason is the one reported:
 *   1. the Deployment exists and its controller has seen the current spec (observedGeneration);
 *   2. a pod is stuck in a state that waiting does not fix (CrashLoopBackOff, image pull errors, a bad config): failed;
 *   3. the rollout passed its progress deadline (ProgressDeadlineExceeded): failed, because a plain Deployment never
 *      rolls back by itself;
 *   4. every replica runs the new template; the old ones are gone; all are available: ready.
 * A Job (the migration) is done, running or failed by its conditions.
 */
import type { V1Deployment, V1Job, V1Pod } from "@kubernetes/client-node";

export type Readiness = { state: "ready"; detail: string } | { state: "waiting"; detail: string } | { state: "failed"; detail: string };

/** Waiting reasons a container does not recover from without a change (kubelet's names). */
export const FATAL_WAITING = new Set(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"]);

/** The first pod problem that waiting will not fix, in words. */
export function fatalPodProblem(pods: readonly V1Pod[]): string | undefined {
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? "a pod";
    if (pod.status?.phase === "Failed") return `pod ${name} failed${pod.status.reason ? ` (${pod.status.reason})` : ""}`;
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason;
      if (!reason || !FATAL_WAITING.has(reason)) continue;
      const exit = c.lastState?.terminated?.exitCode;
      const restarts = c.restartCount ? `, restarted ${c.restartCount} time${c.restartCount === 1 ? "" : "s"}` : "";
      const message = c.state?.waiting?.message ? `: ${c.state.waiting.message.split("\n")[0]}` : "";
      return `pod ${name}: container ${c.name} is in ${reason}${exit !== undefined ? ` (last exit code ${exit}${restarts})` : restarts ? ` (${restarts.slice(2)})` : ""}${message}`;
    }
  }
  return undefined;
}

/** Readiness of one Deployment from its status and its pods. */
export function deploymentReadiness(deployment: V1Deployment | undefined, pods: readonly V1Pod[]): Readiness {
  if (!deployment) return { state: "waiting", detail: "not created yet" };
  const name = deployment.metadata?.name ?? "deployment";
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) return { state: "waiting", detail: `${name}: waiting for the controller to see generation ${generation}` };
  const fatal = fatalPodProblem(pods);
  if (fatal) return { state: "failed", detail: `${name}: ${fatal}` };
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return { state: "failed", detail: `${name}: progress deadline exceeded (${progressing.message ?? "no progress"})` };
  }
  const want = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < want) return { state: "waiting", detail: `${name}: ${updated} of ${want} replicas updated` };
  if (total > updated) return { state: "waiting", detail: `${name}: ${total - updated} old replica(s) terminating` };
  if (available < want) return { state: "waiting", detail: `${name}: ${available} of ${want} replicas available` };
  return { state: "ready", detail: `${name}: ${available} of ${want} replicas available` };
}

/** The worst of several readinesses (failed over waiting over ready), with every detail of that state. */
export function combineReadiness(all: readonly Readiness[]): Readiness {
  for (const state of ["failed", "waiting"] as const) {
    const matching = all.filter((r) => r.state === state);
    if (matching.length > 0) return { state, detail: matching.map((r) => r.detail).join("; ") };
  }
  return { state: "ready", detail: all.map((r) => r.detail).join("; ") };
}

/** A Job's state from its conditions and its pods. */
export function jobReadiness(job: V1Job | undefined, pods: readonly V1Pod[]): Readiness {
  if (!job) return { state: "waiting", detail: "not created yet" };
  const name = job.metadata?.name ?? "job";
  const conditions = job.status?.conditions ?? [];
  const done = conditions.find((c) => (c.type === "Complete" || c.type === "SuccessCriteriaMet") && c.status === "True");
  if (done) return { state: "ready", detail: `${name} completed` };
  const failed = conditions.find((c) => (c.type === "Failed" || c.type === "FailureTarget") && c.status === "True");
  if (failed) return { state: "failed", detail: `${name} failed${failed.reason ? `: ${failed.reason}` : ""}${failed.message ? ` (${failed.message})` : ""}` };
  const fatal = fatalPodProblem(pods);
  if (fatal) return { state: "failed", detail: `${name}: ${fatal}` };
  return { state: "waiting", detail: `${name}: ${job.status?.active ?? 0} pod(s) running` };
}
