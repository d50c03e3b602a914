/**
 * hello-ci health-check: run the checks of an environment (ci/config/environments.yaml) or of ad-hoc URLs and
 * print a verdict. Exit 0 pass or warn (the JSON says which), 1 fail, 2 invalid input, 3 nothing answered.
 * For an environment with a Kubernetes `deploy:` section, the live workloads (ready replicas, waiting reasons,
 * restarts of the active colour's pods) are checks of the same verdict when a kubeconfig is there; otherwise the
 * report says in one line why they were not checked. An ECS environment has no workloads to read here: one line says so.
 */
import { z } from "zod";
import { compileHealthChecks } from "../core/config/environments.js";
import { adHocCheck, type CheckSpec } from "../core/checks/model.js";
import { defaultRunOptions, runChecks } from "../core/checks/run.js";
import { aggregateVerdict } from "../core/checks/verdict.js";
import { redactUrl } from "../core/redact.js";
import { EnvironmentCluster } from "../deploy/cluster.js";
import { chooseKubeconfig, readWorkloads } from "../deploy/workloads.js";
import { createHttpClient } from "../http.js";
import { createKube } from "../kube/client.js";
import type { EnvironmentConfig } from "../schemas/environments.js";
import type { WorkloadsSummary } from "../schemas/health.js";
import { conditionSchema, daysSchema, httpUrlSchema, percentileBudgetSchema, positiveDurationSchema, wholeNumberSchema } from "../schemas/primitives.js";
import { clusterFlags } from "./kit/cluster.js";
import { defineCommand, type CommandContext } from "./kit/define.js";
import { loadEnvironment } from "./kit/environments.js";
import { defaultedFlag, flag, flagsObject } from "./kit/flags.js";
import { emitReport, readCaFiles, realClock, VERDICT_EXIT_CODES, verdictFlags } from "./kit/verdict.js";

const flags = {
  url: flag("<url...>", "ad-hoc check of these URLs (status 200 within --budget)", z.array(httpUrlSchema).min(1).optional()),
  // --env, --config, and --kubeconfig/--server for the workloads of an environment with a deploy: section.
  ...clusterFlags("run the checks declared for this environment (and check its workloads when it has a deploy: section)"),
  ...verdictFlags("30s"),
  samples: flag("<n>", "requests per check (percentiles are computed over them)", wholeNumberSchema(1, 1000).optional()),
  timeout: flag("<duration>", "per request (default: 5s, or the environment's health.timeout)", positiveDurationSchema.optional()),
  budget: defaultedFlag("<duration>", "ad hoc: per-request latency budget", positiveDurationSchema, "1000ms"),
  percentile: flag("<budget>", 'ad hoc: percentile budget over the samples, e.g. "p95 < 300ms"', percentileBudgetSchema.optional()),
  assert: flag("<condition...>", "ad hoc: body/header conditions, e.g. '$.status == \"pass\"'", z.array(conditionSchema).default([])),
  status: defaultedFlag("<code...>", "ad hoc: accepted status codes", z.array(wholeNumberSchema(100, 599)).min(1), ["200"]),
  tlsWarnDays: defaultedFlag("<days>", "ad hoc: warn when the certificate expires sooner", daysSchema, "21"),
  tlsFailDays: defaultedFlag("<days>", "ad hoc: fail when the certificate expires sooner", daysSchema, "3"),
};

export const healthCheckOptionsSchema = flagsObject(flags).refine((o) => o.tlsWarnDays >= o.tlsFailDays, {
  error: (issue) => `must be at least --tls-fail-days (${String((issue.input as { tlsFailDays: number }).tlsFailDays)}): warn before failing`,
  path: ["tlsWarnDays"],
});
export type HealthCheckOptions = z.infer<typeof healthCheckOptionsSchema>;

export const healthCheckCommand = defineCommand({
  name: "health-check",
  description: "check an environment's health endpoints (or ad-hoc URLs): status, body, latency, TLS; print a verdict",
  flags,
  schema: healthCheckOptionsSchema,
  oneOf: [{ flags: ["url", "env"], problem: "give either --url URL… or --env NAME (exactly one)" }],
  conflicts: [
    {
      flags: ["budget", "assert", "status", "percentile", "tlsWarnDays", "tlsFailDays"],
      with: "env",
      reason: "an environment's checks take their budgets, assertions, status codes and TLS policy from the configuration",
    },
    { flags: ["kubeconfig", "server"], with: "url", reason: "workloads are read for an environment's deploy: section: give --env NAME" },
  ],
  exitCodes: VERDICT_EXIT_CODES,
  run: runHealthCheck,
});

async function runHealthCheck(ctx: CommandContext<typeof flags>, options: HealthCheckOptions): Promise<void> {
  const { io } = ctx;
  const { checks, timeoutMs, env } = await planChecks(ctx, options);
  const workloads = env ? planWorkloads(ctx, options, env, timeoutMs) : undefined;
  const client = createHttpClient({ extraCaPem: await readCaFiles(ctx, options.ca) });
  const clock = realClock(io);
  try {
    const [report, workloadChecks] = await Promise.all([
      runChecks(checks, client, clock, {
        ...defaultRunOptions,
        concurrency: options.concurrency,
        timeoutMs,
        deadlineMs: options.deadline,
        retries: options.retries,
        // Progress on stderr while a run waits out its backoff; stdout stays the verdict (text or JSON).
        onRetry: (e) => io.err(`health-check: ${e.url}: attempt ${e.attempt} of ${e.of} failed (${e.reason}); retrying in ${e.delayMs} ms`),
      }),
      workloads?.cluster ? readWorkloads(workloads.cluster, () => clock.monotonicMs()) : Promise.resolve([]),
    ]);
    const all = [...report.checks, ...workloadChecks];
    await emitReport(ctx, { ...report, checks: all, verdict: aggregateVerdict(all.map((c) => c.verdict)) }, {
      json: options.json,
      report: options.report,
      title: options.env ? `Health report: ${options.env}` : "Health report",
      ...(workloads ? { extra: { workloads: workloads.summary }, notes: workloads.note ? [workloads.note] : [] } : {}),
    });
  } finally {
    await client.close();
  }
}

interface WorkloadsPlan {
  /** Where to read the workloads; absent when there is no kubeconfig to use. */
  cluster?: EnvironmentCluster;
  /** The JSON's `workloads` field. */
  summary: WorkloadsSummary;
  /** The one line the text and Markdown say when the workloads were not checked. */
  note?: string;
}

/** Workloads are checked for an environment with a deploy: section, with a kubeconfig that is there. */
function planWorkloads(ctx: CommandContext<typeof flags>, options: HealthCheckOptions, env: { name: string; config: EnvironmentConfig }, timeoutMs: number): WorkloadsPlan | undefined {
  const deploy = env.config.deploy;
  if (!deploy) {
    for (const key of ["kubeconfig", "server"] as const) {
      if (options[key] !== undefined) throw ctx.optionError(key, `environment ${JSON.stringify(env.name)} has no deploy: section: there are no workloads to check`);
    }
    return undefined;
  }
  if (deploy.target === "ecs") {
    for (const key of ["kubeconfig", "server"] as const) {
      if (options[key] !== undefined) throw ctx.optionError(key, `environment ${JSON.stringify(env.name)} deploys to ECS: there is no kubeconfig to use`);
    }
    const reason = `ECS environment (service ${deploy.service} in cluster ${deploy.cluster}): the Kubernetes workload check does not apply; ECS tracks task health (hello-ci status --env ${env.name})`;
    return { summary: { checked: false, reason }, note: `workloads not checked: ${reason}` };
  }
  const choice = chooseKubeconfig({ file: options.kubeconfig, server: options.server, env: ctx.io.env });
  if (!choice.kc) {
    const reason = choice.reason ?? "no kubeconfig";
    return { summary: { checked: false, reason }, note: `workloads not checked: ${reason}` };
  }
  // The same patience as the HTTP checks: their timeout per request, their retries.
  const kube = createKube(choice.kc, { timeoutMs, attempts: options.retries + 1 });
  return { cluster: new EnvironmentCluster(kube, deploy), summary: { checked: true, namespace: deploy.namespace, server: redactUrl(kube.server) } };
}

async function planChecks(
  ctx: CommandContext<typeof flags>,
  options: HealthCheckOptions,
): Promise<{ checks: CheckSpec[]; timeoutMs: number; env?: { name: string; config: EnvironmentConfig } }> {
  if (options.env !== undefined) {
    const env = await loadEnvironment(ctx, { env: options.env, config: options.config });
    const checks = compileHealthChecks(env, options.samples !== undefined ? { samples: options.samples } : {});
    return { checks, timeoutMs: options.timeout ?? env.health.timeout ?? defaultRunOptions.timeoutMs, env: { name: options.env, config: env } };
  }
  const checks = (options.url ?? []).map((url) =>
    adHocCheck(url, {
      expectStatus: options.status,
      conditions: options.assert,
      budgetMs: options.budget,
      samples: options.samples ?? 1,
      tls: { warnDays: options.tlsWarnDays, failDays: options.tlsFailDays },
      ...(options.percentile ? { percentileBudget: options.percentile } : {}),
    }),
  );
  return { checks, timeoutMs: options.timeout ?? defaultRunOptions.timeoutMs };
}
