/**
 * hello-ci health-check: run the checks of an environment (ci/config/environments.yaml) or of ad-hoc URLs and
 * print a verdict. Exit 0 pass or warn (the JSON says which), 1 fail, 2 invalid input, 3 nothing answered.
 */
import { z } from "zod";
import { compileHealthChecks } from "../core/config/environments.js";
import { adHocCheck, type CheckSpec } from "../core/checks/model.js";
import { defaultRunOptions, runChecks } from "../core/checks/run.js";
import { createHttpClient } from "../http.js";
import { conditionSchema, daysSchema, httpUrlSchema, percentileBudgetSchema, positiveDurationSchema, wholeNumberSchema } from "../schemas/primitives.js";
import { defineCommand, type CommandContext } from "./kit/define.js";
import { environmentFlags, loadEnvironment } from "./kit/environments.js";
import { defaultedFlag, flag, flagsObject } from "./kit/flags.js";
import { emitReport, readCaFiles, realClock, VERDICT_EXIT_CODES, verdictFlags } from "./kit/verdict.js";

const flags = {
  url: flag("<url...>", "ad-hoc check of these URLs (status 200 within --budget)", z.array(httpUrlSchema).min(1).optional()),
  ...environmentFlags("run the checks declared for this environment"),
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
  ],
  exitCodes: VERDICT_EXIT_CODES,
  run: runHealthCheck,
});

async function runHealthCheck(ctx: CommandContext<typeof flags>, options: HealthCheckOptions): Promise<void> {
  const { io } = ctx;
  const { checks, timeoutMs } = await planChecks(ctx, options);
  const client = createHttpClient({ extraCaPem: await readCaFiles(ctx, options.ca) });
  try {
    const report = await runChecks(checks, client, realClock(io), {
      ...defaultRunOptions,
      concurrency: options.concurrency,
      timeoutMs,
      deadlineMs: options.deadline,
      retries: options.retries,
      // Progress on stderr while a run waits out its backoff; stdout stays the verdict (text or JSON).
      onRetry: (e) => io.err(`health-check: ${e.url}: attempt ${e.attempt} of ${e.of} failed (${e.reason}); retrying in ${e.delayMs} ms`),
    });
    await emitReport(ctx, report, { json: options.json, report: options.report, title: options.env ? `Health report: ${options.env}` : "Health report" });
  } finally {
    await client.close();
  }
}

async function planChecks(ctx: CommandContext<typeof flags>, options: HealthCheckOptions): Promise<{ checks: CheckSpec[]; timeoutMs: number }> {
  if (options.env !== undefined) {
    const env = await loadEnvironment(ctx, { env: options.env, config: options.config });
    const checks = compileHealthChecks(env, options.samples !== undefined ? { samples: options.samples } : {});
    return { checks, timeoutMs: options.timeout ?? env.health.timeout ?? defaultRunOptions.timeoutMs };
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
