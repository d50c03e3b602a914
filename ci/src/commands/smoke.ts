/**
 * hello-ci smoke: the platform smoke suite against a base URL (or an environment's frontend URL). Writes are opt-in
 * (--write), never the default, and refused for production unless --allow-production-writes.
 * Exit 0 pass or warn, 1 fail, 2 invalid input, 3 nothing answered.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { Command } from "commander";
import { z } from "zod";
import { loadEnvironmentsConfig, selectEnvironment } from "../core/config/environments.js";
import { defaultRunOptions } from "../core/health/run.js";
import { runSmoke, smokeAgentName, type SmokeAgent } from "../core/smoke/suite.js";
import { describeZodError, UsageError } from "../errors.js";
import { emitReport, readCaFiles, realClock } from "../health-output.js";
import { createHttpClient } from "../http.js";
import type { Io } from "../io.js";
import { verdictOptionsShape } from "../schemas/verdict-options.js";
import { httpUrlSchema, positiveDurationSchema } from "../schemas/primitives.js";
import { defaultConfigPath } from "./health-check.js";

export const smokeOptionsSchema = z
  .object({
    url: httpUrlSchema.optional(),
    env: z.string().min(1).optional(),
    config: z.string().min(1).default(defaultConfigPath),
    ...verdictOptionsShape,
    write: z.boolean().default(false),
    keep: z.boolean().default(false),
    allowProductionWrites: z.boolean().default(false),
    timeout: positiveDurationSchema.default(5000),
    deadline: positiveDurationSchema.default(60_000),
    budget: positiveDurationSchema.default(2000),
  })
  .strict()
  .refine((o) => (o.url === undefined) !== (o.env === undefined), { message: "give either --url BASE or --env NAME (exactly one)", path: ["url"] })
  .refine((o) => !o.keep || o.write, { message: "--keep only makes sense with --write", path: ["keep"] })
  .refine((o) => !(o.write && o.env === "production" && !o.allowProductionWrites), {
    message: "--write against production is refused; add --allow-production-writes if you really mean it",
    path: ["write"],
  });

export type SmokeOptions = z.infer<typeof smokeOptionsSchema>;

export function smokeCommand(io: Io): Command {
  return new Command("smoke")
    .description("run the platform smoke suite: security headers, gzip, SPA deep link, health, API list; --write adds an agent round trip")
    .option("--url <base>", "base URL of the console (nginx), e.g. https://staging.helloagents.example")
    .option("--env <name>", "use the environment's frontend URL from the configuration")
    .option("--config <file>", "environments configuration (default: ci/config/environments.yaml)")
    .option("--write", "also create, read and delete a uniquely named agent (never the default)")
    .option("--keep", "with --write: leave the created agent for a browser check (its name is printed)")
    .option("--allow-production-writes", "permit --write with --env production")
    .option("--json", "print the machine verdict (JSON) on stdout")
    .option("--report <file>", "write the Markdown smoke report to this file")
    .option("--timeout <duration>", "per request", "5s")
    .option("--deadline <duration>", "for the whole suite", "60s")
    .option("--budget <duration>", "per-request latency budget", "2000ms")
    .option("--concurrency <n>", "checks in flight at once", "6")
    .option("--retries <n>", "retries of read-only requests after a retriable failure", "2")
    .option("--ca <file...>", "extra trusted CA certificates (PEM)")
    .addHelpText("after", "\nExit codes: 0 pass or warn, 1 fail, 2 invalid input, 3 nothing answered.")
    .action(async (raw: Record<string, unknown>) => {
      const parsed = smokeOptionsSchema.safeParse(raw);
      if (!parsed.success) throw new UsageError(describeZodError(parsed.error, "smoke options"));
      await runSmokeCommand(io, parsed.data);
    });
}

export async function runSmokeCommand(io: Io, options: SmokeOptions): Promise<void> {
  const baseUrl = options.url ?? (await frontendUrl(io, options));
  const client = createHttpClient({ extraCaPem: await readCaFiles(io, options.ca) });
  try {
    const { report, agent } = await runSmoke(
      { baseUrl, write: options.write, keep: options.keep, agentName: smokeAgentName(io.now(), randomBytes(3).toString("hex")), budgetMs: options.budget },
      client,
      realClock(io),
      { ...defaultRunOptions, concurrency: options.concurrency, timeoutMs: options.timeout, deadlineMs: options.deadline, retries: options.retries },
    );
    await emitReport(io, report, { json: options.json, reportPath: options.report, title: `Smoke report: ${baseUrl}`, ...(agent ? { extra: { agent } } : {}) });
    if (agent && !options.json) io.out(`smoke agent: ${agent.name} (${agentState(agent)})`);
  } finally {
    await client.close();
  }
}

function agentState(agent: SmokeAgent): string {
  if (agent.id === undefined) return "not created";
  if (agent.kept) return "kept";
  return agent.deleted ? "deleted" : `NOT deleted: remove agent ${agent.id}`;
}

async function frontendUrl(io: Io, options: SmokeOptions): Promise<string> {
  const env = selectEnvironment(await loadEnvironmentsConfig(resolve(io.cwd, options.config)), options.env as string);
  const url = env.urls["frontend"];
  if (!url) throw new UsageError(`environment ${JSON.stringify(options.env)} has no urls.frontend for the smoke suite`);
  return url;
}
