/**
 * hello-ci smoke: the platform smoke suite against a base URL (or an environment's frontend URL). Writes are opt-in
 * (--write), never the default, and refused for production unless --allow-production-writes.
 * Exit 0 pass or warn, 1 fail, 2 invalid input, 3 nothing answered.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { defaultRunOptions } from "../core/checks/run.js";
import { matchingUrlRole, PRODUCTION_ENVIRONMENT } from "../core/config/environments.js";
import { redactUrl } from "../core/redact.js";
import { runSmoke, smokeAgentName, type SmokeAgent } from "../core/smoke/suite.js";
import { createHttpClient } from "../http.js";
import { httpUrlSchema, positiveDurationSchema } from "../schemas/primitives.js";
import type { EnvironmentConfig, EnvironmentsConfig } from "../schemas/environments.js";
import { defineCommand, type CommandContext } from "./kit/define.js";
import { environmentFlags, environmentNamed, loadEnvironments } from "./kit/environments.js";
import { defaultedFlag, flag, flagsObject, switchFlag } from "./kit/flags.js";
import { emitReport, readCaFiles, realClock, VERDICT_EXIT_CODES, verdictFlags } from "./kit/verdict.js";

const flags = {
  url: flag("<base>", "base URL of the console (nginx), e.g. https://staging.helloagents.example", httpUrlSchema.optional()),
  ...environmentFlags("use the environment's frontend URL from the configuration"),
  write: switchFlag("also create, read and delete a uniquely named agent (never the default)"),
  keep: switchFlag("with --write: leave the created agent for a browser check (its name is printed)"),
  allowProductionWrites: switchFlag("permit --write against production"),
  ...verdictFlags("60s"),
  timeout: defaultedFlag("<duration>", "per request", positiveDurationSchema, "5s"),
  budget: defaultedFlag("<duration>", "per-request latency budget", positiveDurationSchema, "2000ms"),
};

const productionRefused = (where?: string) =>
  `against production${where ? ` (${where})` : ""} is refused; add --allow-production-writes if you really mean it`;

export const smokeOptionsSchema = flagsObject(flags)
  .refine((o) => !o.keep || o.write, { message: "only makes sense with --write", path: ["keep"] })
  .refine((o) => !(o.write && o.env === PRODUCTION_ENVIRONMENT && !o.allowProductionWrites), { message: productionRefused(), path: ["write"] });

export type SmokeOptions = z.infer<typeof smokeOptionsSchema>;

export const smokeCommand = defineCommand({
  name: "smoke",
  description: "run the platform smoke suite: security headers, gzip, SPA deep link, health, API list; --write adds an agent round trip",
  flags,
  schema: smokeOptionsSchema,
  oneOf: [{ flags: ["url", "env"], problem: "give either --url BASE or --env NAME (exactly one)" }],
  exitCodes: VERDICT_EXIT_CODES,
  run: runSmokeCommand,
});

async function runSmokeCommand(ctx: CommandContext<typeof flags>, options: SmokeOptions): Promise<void> {
  const { io } = ctx;
  const baseUrl = await targetUrl(ctx, options);
  const client = createHttpClient({ extraCaPem: await readCaFiles(ctx, options.ca) });
  try {
    const { report, agent } = await runSmoke(
      { baseUrl, write: options.write, keep: options.keep, agentName: smokeAgentName(io.now(), randomBytes(3).toString("hex")), budgetMs: options.budget },
      client,
      realClock(io),
      { ...defaultRunOptions, concurrency: options.concurrency, timeoutMs: options.timeout, deadlineMs: options.deadline, retries: options.retries },
    );
    await emitReport(ctx, report, { json: options.json, report: options.report, title: `Smoke report: ${redactUrl(baseUrl)}`, ...(agent ? { extra: { agent } } : {}) });
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

/** The base URL to test: --url, or the environment's frontend; refused for --write when it is a production URL. */
async function targetUrl(ctx: CommandContext<typeof flags>, options: SmokeOptions): Promise<string> {
  // A read-only run against --url needs no configuration.
  if (options.url !== undefined && (!options.write || options.allowProductionWrites)) return options.url;
  const config = await loadEnvironments(ctx, options.config);
  const url = options.url ?? frontendUrl(ctx, environmentNamed(ctx, config, options.env as string), options.env as string);
  if (options.write && !options.allowProductionWrites) refuseProductionUrl(ctx, config, url);
  return url;
}

function frontendUrl(ctx: CommandContext<typeof flags>, env: EnvironmentConfig, name: string): string {
  const url = env.urls["frontend"];
  if (!url) throw ctx.optionError("env", `environment ${JSON.stringify(name)} has no urls.frontend for the smoke suite`);
  return url;
}

/** --write against any URL of the production environment is refused, not only `--env production`. */
function refuseProductionUrl(ctx: CommandContext<typeof flags>, config: EnvironmentsConfig, baseUrl: string): void {
  const production = config.environments[PRODUCTION_ENVIRONMENT];
  const role = production ? matchingUrlRole(production, baseUrl) : undefined;
  if (role === undefined) return;
  throw ctx.optionError("write", productionRefused(`${new URL(baseUrl).origin} is ${PRODUCTION_ENVIRONMENT}'s urls.${role}`));
}
