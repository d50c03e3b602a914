/**
 * Reading the workloads `health-check --env E` reports for an environment with a Kubernetes `deploy:` section: which
 * kubeconfig to use (only one that is there: an explicit --kubeconfig or --server must load, an ambient one may be
 * absent), and the active colour's Deployments and pods per app, judged by core/deploy/workloads.ts.
 */
import { existsSync } from "node:fs";
import type { KubeConfig, V1Deployment } from "@kubernetes/client-node";
import { selectedColour } from "../core/deploy/live.js";
import { APPS, names, type App } from "../core/deploy/names.js";
import { workloadCheck, workloadsNotRead } from "../core/deploy/workloads.js";
import { redactUrl } from "../core/redact.js";
import { Unreachable } from "../errors.js";
import { KubeForbidden, KubeRejected, type KubeObject } from "../kube/client.js";
import { kubeconfigPath, loadKubeconfig } from "../kube/kubeconfig.js";
import type { CheckResult } from "../schemas/health.js";
import { refs, type EnvironmentCluster } from "./cluster.js";

export interface KubeconfigChoice {
  kc?: KubeConfig;
  /** Why workloads are not checked, in one line, when there is no kubeconfig to use. */
  reason?: string;
}

/**
 * The kubeconfig to read workloads with. `--kubeconfig` or `--server` ask for it: it must load (exit 2 otherwise).
 * Else `$KUBECONFIG` or `~/.kube/config` are used when the file is there, and their absence is a reason, not an error.
 */
export function chooseKubeconfig(source: { file?: string | undefined; server?: string | undefined; env: NodeJS.ProcessEnv }): KubeconfigChoice {
  const load = () => loadKubeconfig({ env: source.env, ...(source.file ? { file: source.file } : {}), ...(source.server ? { server: source.server } : {}) });
  if (source.file || source.server) return { kc: load() };
  const path = kubeconfigPath({ env: source.env });
  if (existsSync(path)) return { kc: load() };
  const fromEnv = source.env.KUBECONFIG?.split(":").some((p) => p !== "");
  return { reason: fromEnv ? `KUBECONFIG names ${path}, which does not exist` : `no kubeconfig (no --kubeconfig, KUBECONFIG unset, no ${path})` };
}

const deploymentUrl = (server: string, namespace: string, name: string) => `${server.replace(/\/+$/, "")}/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
const serviceUrl = (server: string, namespace: string, name: string) => `${server.replace(/\/+$/, "")}/api/v1/namespaces/${namespace}/services/${name}`;

async function readApp(cluster: EnvironmentCluster, app: App, service: KubeObject | undefined, monotonicMs: () => number): Promise<CheckResult> {
  const started = monotonicMs();
  const server = redactUrl(cluster.kube.server);
  const colour = selectedColour(service);
  const exists = service !== undefined;
  if (!colour) return workloadCheck({ app, service: { exists }, pods: [], url: serviceUrl(server, cluster.namespace, names.activeService(app)), durationMs: 0 });
  const [deployment, pods] = await Promise.all([cluster.kube.get<V1Deployment & KubeObject>(refs.deployment(cluster.namespace, app, colour)), cluster.pods(app, colour)]);
  return workloadCheck({
    app,
    service: { exists, colour },
    deployment,
    pods,
    url: deploymentUrl(server, cluster.namespace, names.deployment(app, colour)),
    durationMs: Math.round(monotonicMs() - started),
  });
}

/** One check per app; a cluster that does not answer (or refuses) gives failed checks, never a thrown error. */
export async function readWorkloads(cluster: EnvironmentCluster, monotonicMs: () => number): Promise<CheckResult[]> {
  const started = monotonicMs();
  try {
    const services = await cluster.activeServices();
    return await Promise.all(APPS.map((app) => readApp(cluster, app, services[app] as KubeObject | undefined, monotonicMs)));
  } catch (error) {
    const kind = error instanceof KubeForbidden ? "forbidden" : error instanceof Unreachable ? "unreachable" : error instanceof KubeRejected ? "rejected" : undefined;
    if (!kind) throw error;
    const url = `${redactUrl(cluster.kube.server).replace(/\/+$/, "")}/api/v1/namespaces/${cluster.namespace}`;
    return workloadsNotRead(APPS, url, { kind, message: (error as Error).message }, Math.round(monotonicMs() - started));
  }
}
