/**
 * The workloads half of `hello-ci health-check --env E` (the guide's "container/pod status check"): for each app, the
 * Deployment of the colour its active Service selects, judged as a check of the same health verdict:
 *   - the active Service selects a colour, and that colour's Deployment exists: else fail;
 *   - ready replicas: none ready fails (the app is down), fewer than desired warns (degraded);
 *   - waiting reasons: a container in a state waiting does not fix (CrashLoopBackOff, ImagePullBackOff…) fails;
 *   - restarts above zero warn.
 * Every assertion carries what was observed, like the HTTP checks' do.
 */
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import type { AssertionResult, CheckResult } from "../../schemas/health.js";
import { checkVerdict } from "../checks/verdict.js";
import { names, type App, type Colour } from "./names.js";
import { FATAL_WAITING, fatalPodProblem } from "./readiness.js";

export interface WorkloadInput {
  app: App;
  /** Whether the app's active Service exists, and the colour it selects (undefined: none). */
  service: { exists: boolean; colour?: Colour | undefined };
  /** The selected colour's Deployment (undefined: missing, or no colour selected). */
  deployment?: V1Deployment | undefined;
  /** That colour's pods. */
  pods: readonly V1Pod[];
  /** The API URL of what was read, for the report. */
  url: string;
  durationMs: number;
}

/** The check's name in the report: `workload-backend`. */
export const workloadCheckName = (app: App) => `workload-${app}`;

const live = (pods: readonly V1Pod[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);

function containers(pod: V1Pod) {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function result(input: WorkloadInput, assertions: AssertionResult[]): CheckResult {
  return { name: workloadCheckName(input.app), url: input.url, verdict: checkVerdict(assertions, true), attempts: 1, durationMs: input.durationMs, assertions, latenciesMs: [] };
}

/** Judge one app's live workload. */
export function workloadCheck(input: WorkloadInput): CheckResult {
  const service = names.activeService(input.app);
  if (!input.service.colour) {
    const detail = input.service.exists ? `Service ${service} selects no colour` : `Service ${service} not found: nothing is deployed here yet`;
    return result(input, [{ assertion: "active Service", expected: "selects blue or green", observed: null, ok: false, severity: "fail", detail }]);
  }
  const colour = input.service.colour;
  if (!input.deployment) {
    const detail = `Deployment ${names.deployment(input.app, colour)} not found, though ${service} selects ${colour}`;
    return result(input, [{ assertion: "Deployment", expected: "exists", observed: null, ok: false, severity: "fail", detail }]);
  }
  const desired = input.deployment.spec?.replicas ?? 0;
  const ready = input.deployment.status?.readyReplicas ?? 0;
  const pods = live(input.pods);
  const restarts = pods.map((p) => ({ name: p.metadata?.name ?? "a pod", count: containers(p).reduce((n, c) => n + (c.restartCount ?? 0), 0) }));
  const totalRestarts = restarts.reduce((n, r) => n + r.count, 0);
  const waiting = [...new Set(pods.flatMap((p) => containers(p).flatMap((c) => (c.state?.waiting?.reason ? [c.state.waiting.reason] : []))))].sort();
  const fatal = fatalPodProblem(pods);
  const restarted = restarts.filter((r) => r.count > 0);
  return result(input, [
    {
      assertion: "ready replicas",
      expected: `== ${desired} (at least 1)`,
      observed: ready,
      ok: ready > 0 && ready >= desired,
      // None ready is an outage; some is a degraded app.
      severity: ready === 0 ? "fail" : "warn",
      detail: `${names.deployment(input.app, colour)} (${colour}): ${ready} of ${desired} ready${ready === 0 ? ": the app is down" : ""}`,
    },
    {
      assertion: "waiting reasons",
      expected: "none that waiting does not fix",
      observed: waiting,
      ok: fatal === undefined && !waiting.some((w) => FATAL_WAITING.has(w)),
      severity: "fail",
      ...(fatal ? { detail: fatal } : {}),
    },
    {
      assertion: "restarts",
      expected: "== 0",
      observed: totalRestarts,
      ok: totalRestarts === 0,
      severity: "warn",
      ...(restarted.length > 0 ? { detail: restarted.slice(0, 3).map((r) => `${r.name}: ${r.count}`).join(", ") + (restarted.length > 3 ? `, and ${restarted.length - 3} more pod(s)` : "") } : {}),
    },
  ]);
}

/** Why the cluster could not be read: nothing answered, the credentials were refused, or a request was rejected. */
export type ReadFailureKind = "unreachable" | "forbidden" | "rejected";

/**
 * The checks when the cluster could not be read: unreachable when nothing answered, fail when it answered with a
 * refusal (the credentials may not read these objects) or a rejection.
 */
export function workloadsNotRead(apps: readonly App[], url: string, failure: { kind: ReadFailureKind; message: string }, durationMs: number): CheckResult[] {
  return apps.map((app) => {
    const assertions: AssertionResult[] = [{ assertion: "response", expected: "an answer from the API server", observed: failure.message, ok: false, severity: "fail" }];
    return {
      name: workloadCheckName(app),
      url,
      verdict: checkVerdict(assertions, failure.kind !== "unreachable"),
      attempts: 1,
      durationMs,
      assertions,
      latenciesMs: [],
      error: { kind: failure.kind, message: failure.message },
    };
  });
}
