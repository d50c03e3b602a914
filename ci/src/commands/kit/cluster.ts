/**
 * What deploy, rollback, status, render and scale-down share: `--env` (required) with `--config`, `--kubeconfig`,
 * `--server`, loading an environment that has a `deploy:` section (Kubernetes or ECS), connecting to its cluster, the
 * engine's dependencies (clock, HTTP, preview probe, webhook), the confirmation rule, and emitting a run's report.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { KubeConfig } from "@kubernetes/client-node";
import { request } from "undici";
import { z } from "zod";
import { renderDeployMarkdown } from "../../core/deploy/report.js";
import { names } from "../../core/deploy/names.js";
import { EnvironmentCluster } from "../../deploy/cluster.js";
import { UsageError } from "../../errors.js";
import type { EngineDeps } from "../../deploy/run.js";
import { createHttpClient, type HttpClient } from "../../http.js";
import { createKube } from "../../kube/client.js";
import { kubeconfigPath, loadKubeconfig } from "../../kube/kubeconfig.js";
import { serviceProxy } from "../../kube/proxy.js";
import type { DeployReport } from "../../schemas/deploy-report.js";
import type { DeployConfig, EcsDeploy, KubernetesDeploy } from "../../schemas/deploy.js";
import type { EnvironmentConfig } from "../../schemas/environments.js";
import { httpUrlSchema } from "../../schemas/primitives.js";
import type { CommandContext } from "./define.js";
import { environmentFlags, environmentNamed, loadEnvironments } from "./environments.js";
import { flag, type Flag } from "./flags.js";

/** The environment variable holding the webhook URL (a secret: never printed, never a flag). */
export const WEBHOOK_ENV = "HELLO_CI_WEBHOOK_URL";

export function clusterFlags(envHelp: string) {
  return {
    ...environmentFlags(envHelp),
    kubeconfig: flag("<file>", "kubeconfig (default: $KUBECONFIG, then ~/.kube/config)", z.string().min(1).optional()),
    server: flag("<url>", "reach the API server at this URL (a tunnel), still verifying its certificate against the kubeconfig's host", httpUrlSchema.optional()),
  };
}

type ClusterContext = CommandContext<ReturnType<typeof clusterFlags>>;
type EnvironmentContext = CommandContext<ReturnType<typeof environmentFlags>>;
type ClusterOptions = { env?: string | undefined; config: string; kubeconfig?: string | undefined; server?: string | undefined };

interface TargetEnvironment<D extends DeployConfig> {
  name: string;
  env: EnvironmentConfig;
  deploy: D;
}
export type KubernetesEnvironment = TargetEnvironment<KubernetesDeploy>;
export type EcsEnvironment = TargetEnvironment<EcsDeploy>;
export type DeployEnvironment = KubernetesEnvironment | EcsEnvironment;

/** The environment named by --env, which must have a `deploy:` section (any target). */
export async function deployEnvironment(ctx: EnvironmentContext, options: { env?: string | undefined; config: string }): Promise<DeployEnvironment> {
  if (!options.env) throw ctx.optionError("env", "missing: give the environment, e.g. --env staging");
  const env = environmentNamed(ctx, await loadEnvironments(ctx, options.config), options.env);
  if (!env.deploy) {
    throw ctx.optionError("env", `environment ${JSON.stringify(options.env)} has no deploy: section in ${options.config}`, "add one (see docs/deploy.md)");
  }
  const deploy = env.deploy;
  return deploy.target === "kubernetes" ? { name: options.env, env, deploy } : { name: options.env, env, deploy };
}

/** The environment named by --env, which must have a Kubernetes `deploy:` section (render, scale-down). */
export async function kubernetesEnvironment(ctx: EnvironmentContext, options: { env?: string | undefined; config: string }): Promise<KubernetesEnvironment> {
  const target = await deployEnvironment(ctx, options);
  if (!isKubernetes(target)) {
    throw ctx.optionError("env", `environment ${JSON.stringify(target.name)} deploys to ECS (target: ecs): ${ctx.command} works on Kubernetes environments only`, "see docs/deploy.md, ECS");
  }
  return target;
}

export function isKubernetes(target: DeployEnvironment): target is KubernetesEnvironment {
  return target.deploy.target === "kubernetes";
}

/** Refuse the Kubernetes-only flags for an ECS environment (exit 2): they would be silently ignored. */
export function refuseClusterFlags(ctx: ClusterContext, options: ClusterOptions, target: EcsEnvironment): void {
  for (const key of ["kubeconfig", "server"] as const) {
    if (options[key] !== undefined) throw ctx.optionError(key, `environment ${JSON.stringify(target.name)} deploys to ECS: there is no kubeconfig to use (AWS credentials come from the standard chain)`);
  }
}

/** Where an environment lives, in words: `namespace helloagents-staging` or `ECS service web in cluster c (eu-west-1)`. */
export function whereWords(deploy: DeployConfig): string {
  return deploy.target === "kubernetes" ? `namespace ${deploy.namespace}` : `ECS service ${deploy.service} in cluster ${deploy.cluster}, ${deploy.region}`;
}

export interface Connection {
  kc: KubeConfig;
  cluster: EnvironmentCluster;
}

export function connect(ctx: ClusterContext, options: ClusterOptions, deploy: KubernetesDeploy): Connection {
  if (!options.kubeconfig && !ctx.io.env.KUBECONFIG && !existsSync(kubeconfigPath({ env: ctx.io.env }))) {
    throw new UsageError(`${ctx.command}: environment ${options.env ?? ""} deploys to Kubernetes and needs a kubeconfig: none at ${kubeconfigPath({ env: ctx.io.env })}`, {
      suggestion: "pass --kubeconfig FILE or set KUBECONFIG (dagger call: --kubeconfig file://…)",
    });
  }
  const kc = loadKubeconfig({ env: ctx.io.env, ...(options.kubeconfig ? { file: options.kubeconfig } : {}), ...(options.server ? { server: options.server } : {}) });
  return { kc, cluster: new EnvironmentCluster(createKube(kc), deploy) };
}

/** Refuse an environment that requires confirmation unless --yes was given or a person confirms on a terminal. */
export async function confirm(ctx: EnvironmentContext, target: DeployEnvironment, yes: boolean, what: string): Promise<void> {
  if (yes || !target.deploy.requireConfirmation) return;
  if (!ctx.io.ask) {
    throw new UsageError(`${ctx.command}: ${target.name} requires confirmation: add --yes (no terminal to ask on)`, {
      suggestion: `requireConfirmation is set for ${target.name} in the environments configuration`,
    });
  }
  const answer = await ctx.io.ask(`${what} in ${target.name} (${whereWords(target.deploy)}). Type the environment name to go on: `);
  if (answer !== target.name) throw new UsageError(`${ctx.command}: not confirmed (typed ${JSON.stringify(answer)}, expected ${JSON.stringify(target.name)}); nothing was changed`);
}

/** Post `{text}` to a Slack-compatible webhook; the URL is never printed, not even in errors. */
export function webhookNotifier(url: string | undefined): ((message: string) => Promise<void>) | undefined {
  if (!url) return undefined;
  return async (message) => {
    let status: number;
    try {
      const res = await request(url, { method: "POST", body: JSON.stringify({ text: message }), headers: { "content-type": "application/json" }, headersTimeout: 10_000, bodyTimeout: 10_000 });
      status = res.statusCode;
      await res.body.dump();
    } catch (error) {
      // The cause is left out on purpose: undici's error can quote the URL, which is a secret.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`the webhook (${WEBHOOK_ENV}) did not answer: ${(error as { code?: string }).code ?? "error"}`);
    }
    if (status < 200 || status >= 300) throw new Error(`the webhook (${WEBHOOK_ENV}) answered HTTP ${status}`);
  };
}

/** Who is deploying: --actor, else GITHUB_ACTOR, else USER. */
export function actorOf(env: NodeJS.ProcessEnv, given?: string): string {
  return given ?? env.GITHUB_ACTOR ?? env.USER ?? "unknown";
}

/** Everything the engine needs, for real: clocks, HTTP, the preview probe, the webhook, a lock identity. */
async function engineDeps(ctx: ClusterContext, target: KubernetesEnvironment, connection: Connection, actor: string): Promise<{ deps: EngineDeps; close: () => Promise<void> }> {
  const http = createHttpClient();
  const clients: HttpClient[] = [http];
  let preview: EngineDeps["preview"];
  if (target.deploy.preview.url) {
    preview = { baseUrl: target.deploy.preview.url, probe: http };
  } else {
    const proxy = await serviceProxy(connection.kc, target.deploy.namespace, names.previewService("frontend"));
    clients.push(proxy.client);
    preview = { baseUrl: proxy.baseUrl, probe: proxy.client };
  }
  const notify = webhookNotifier(ctx.io.env[WEBHOOK_ENV]);
  const deps: EngineDeps = {
    cluster: connection.cluster,
    envName: target.name,
    env: target.env,
    config: target.deploy,
    clock: { monotonicMs: () => performance.now(), now: () => ctx.io.now(), sleep: (ms) => sleep(ms) },
    progress: (line) => ctx.io.err(line),
    http,
    preview,
    ...(notify ? { notify } : {}),
    identity: `${actor}@${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    actor,
    lockDurationMs: target.deploy.strategy.lockDuration,
    pollMs: target.deploy.strategy.pollInterval,
  };
  return { deps, close: async () => void (await Promise.all(clients.map((c) => c.close()))) };
}

/**
 * Run a deploy or rollback with the engine's dependencies, read the backup of the revision it recorded (for
 * --backup), and close every client, whatever happened.
 */
export async function runWithEngine(
  ctx: ClusterContext,
  target: KubernetesEnvironment,
  connection: Connection,
  actor: string,
  run: (deps: EngineDeps) => Promise<DeployReport>,
): Promise<{ report: DeployReport; backup: string | undefined }> {
  const { deps, close } = await engineDeps(ctx, target, connection, actor);
  try {
    const report = await run(deps);
    const backup = report.revision !== undefined ? await connection.cluster.backupOf(report.revision).catch(() => undefined) : undefined;
    return { report, backup };
  } finally {
    await close();
  }
}

/** Print the report (JSON with --json, else Markdown), write the files, set the exit code with one hello-ci line. */
export async function emitRunReport(
  ctx: CommandContext<{ report: Flag; backup: Flag }>,
  report: DeployReport,
  options: { json: boolean; report?: string | undefined; backup?: string | undefined },
  backup: string | undefined,
): Promise<void> {
  const markdown = renderDeployMarkdown(report);
  ctx.io.out(options.json ? JSON.stringify(report, null, 2) : markdown);
  if (options.report) await ctx.writeFile("report", options.report, markdown);
  if (options.backup && backup !== undefined) await ctx.writeFile("backup", options.backup, backup);
  if (report.exitCode !== 0) {
    ctx.io.err(`hello-ci: ${report.kind} ${report.env}: ${report.result}: ${report.reason}`);
    ctx.io.exitCode = report.exitCode;
  }
}

