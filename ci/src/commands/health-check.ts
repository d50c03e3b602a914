/**
 * hello-ci health-check: run the checks of an environment (ci/config/environments.yaml) or of ad-hoc URLs and
 * print a verdict. Exit 0 pass or warn (the JSON says which), 1 fail, 2 invalid input, 3 nothing answered.
 */
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { Command } from "commander";
import { z } from "zod";
import { compileHealthChecks, loadEnvironmentsConfig, selectEnvironment } from "../core/config/environments.js";
import { adHocCheck, type CheckSpec } from "../core/health/model.js";
import { defaultRunOptions, runChecks } from "../core/health/run.js";
import { describeZodError, UsageError } from "../errors.js";
import { emitReport, readCaFiles, realClock } from "../health-output.js";
import { createHttpClient } from "../http.js";
import type { Io } from "../io.js";
import { verdictOptionsShape } from "../schemas/verdict-options.js";
import { conditionSchema, countSchema, httpUrlSchema, percentileBudgetSchema, positiveDurationSchema } from "../schemas/primitives.js";

/** ci/config/environments.yaml, found from this file in src/commands or dist/commands. */
export const defaultConfigPath = fileURLToPath(new URL("../../config/environments.yaml", import.meta.url));

export const healthCheckOptionsSchema = z
  .object({
    url: z.array(httpUrlSchema).min(1).optional(),
    env: z.string().min(1).optional(),
    config: z.string().min(1).default(defaultConfigPath),
    ...verdictOptionsShape,
    samples: countSchema.max(1000).optional(),
    timeout: positiveDurationSchema.optional(),
    deadline: positiveDurationSchema.default(30_000),
    budget: positiveDurationSchema.default(1000),
    percentile: percentileBudgetSchema.optional(),
    assert: z.array(conditionSchema).default([]),
    status: z.array(z.coerce.number().int().min(100).max(599)).min(1).default([200]),
    tlsWarnDays: z.coerce.number().nonnegative().default(21),
    tlsFailDays: z.coerce.number().nonnegative().default(3),
  })
  .strict()
  .refine((o) => (o.url === undefined) !== (o.env === undefined), { message: "give either --url URL… or --env NAME (exactly one)", path: ["url"] });

export type HealthCheckOptions = z.infer<typeof healthCheckOptionsSchema>;

export function healthCheckCommand(io: Io): Command {
  return new Command("health-check")
    .description("check an environment's health endpoints (or ad-hoc URLs): status, body, latency, TLS; print a verdict")
    .option("--url <url...>", "ad-hoc check of these URLs (status 200 within --budget)")
    .option("--env <name>", "run the checks declared for this environment")
    .option("--config <file>", "environments configuration (default: ci/config/environments.yaml)")
    .option("--json", "print the machine verdict (JSON) on stdout")
    .option("--report <file>", "write the Markdown health report to this file")
    .option("--samples <n>", "requests per check (percentiles are computed over them)")
    .option("--timeout <duration>", "per request (default 5s, or the environment's health.timeout)")
    .option("--deadline <duration>", "for the whole run, retries included", "30s")
    .option("--concurrency <n>", "checks in flight at once", "6")
    .option("--retries <n>", "retries per request after a retriable failure (refused, timeout, reset)", "2")
    .option("--budget <duration>", "ad hoc: per-request latency budget", "1000ms")
    .option("--percentile <budget>", 'ad hoc: percentile budget over the samples, e.g. "p95 < 300ms"')
    .option("--assert <condition...>", 'ad hoc: body/header conditions, e.g. \'$.status == "pass"\'')
    .option("--status <code...>", "ad hoc: accepted status codes", ["200"])
    .option("--ca <file...>", "extra trusted CA certificates (PEM) for https checks")
    .option("--tls-warn-days <days>", "ad hoc: warn when the certificate expires sooner", "21")
    .option("--tls-fail-days <days>", "ad hoc: fail when the certificate expires sooner", "3")
    .addHelpText("after", "\nExit codes: 0 pass or warn (JSON verdict says which), 1 fail, 2 invalid input, 3 nothing answered.")
    .action(async (raw: Record<string, unknown>) => {
      const parsed = healthCheckOptionsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(describeZodError(parsed.error, "health-check options"));
      await runHealthCheck(io, parsed.data);
    });
}

export async function runHealthCheck(io: Io, options: HealthCheckOptions): Promise<void> {
  const { checks, timeoutMs } = await planChecks(io, options);
  const client = createHttpClient({ extraCaPem: await readCaFiles(io, options.ca) });
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
    await emitReport(io, report, { json: options.json, reportPath: options.report, title: options.env ? `Health report: ${options.env}` : "Health report" });
  } finally {
    await client.close();
  }
}

async function planChecks(io: Io, options: HealthCheckOptions): Promise<{ checks: CheckSpec[]; timeoutMs: number }> {
  if (options.env !== undefined) {
    const config = await loadEnvironmentsConfig(resolve(io.cwd, options.config));
    const env = selectEnvironment(config, options.env);
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
