/**
 * The environments configuration as text: parse YAML, validate with zod (errors name the field), and compile an
 * environment's health section into engine checks. Reading the file is the command layer's (commands/kit/environments.ts).
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { describeZodError, UsageError } from "../../errors.js";
import { environmentsConfigSchema, type EnvironmentConfig, type EnvironmentsConfig } from "../../schemas/environments.js";
import type { CheckSpec } from "../checks/model.js";

/** Validate configuration text; `source` names the file in error messages. */
export function parseEnvironmentsConfig(text: string, source: string): EnvironmentsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    // The yaml package's first line ends "at line 3, column 1:" before a source excerpt: keep the position, drop the colon.
    if (error instanceof YAMLParseError) throw new UsageError(`${source}: invalid YAML: ${(error.message.split("\n")[0] ?? "").replace(/:\s*$/, "")}`);
    throw error;
  }
  const parsed = environmentsConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, `${source} is invalid`));
  return parsed.data;
}

/** What to say about an environment that the configuration does not declare: the known ones. */
export function unknownEnvironment(config: EnvironmentsConfig, name: string): string {
  const known = Object.keys(config.environments).sort();
  return `unknown environment ${JSON.stringify(name)}; known environments: ${known.join(", ")}`;
}

/** The named environment, or a usage error listing the known ones. */
export function selectEnvironment(config: EnvironmentsConfig, name: string): EnvironmentConfig {
  const env = config.environments[name];
  if (!env) throw new UsageError(unknownEnvironment(config, name));
  return env;
}

/** The environment whose URLs `smoke --write` refuses unless told otherwise. */
export const PRODUCTION_ENVIRONMENT = "production";

/** The role (`frontend`, `backend`) of the environment URL that shares `url`'s origin (scheme, host, port), if any. */
export function matchingUrlRole(env: EnvironmentConfig, url: string): string | undefined {
  const origin = new URL(url).origin;
  return Object.entries(env.urls).find(([, candidate]) => new URL(candidate).origin === origin)?.[0];
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/** Compile an environment's health checks into engine checks. `samples` overrides the file when given. */
export function compileHealthChecks(env: EnvironmentConfig, overrides: { samples?: number } = {}): CheckSpec[] {
  const health = env.health;
  return health.checks.map((check) => {
    const base = env.urls[check.target] as string; // targets are validated against urls by the schema
    const budgetMs = check.budget ?? health.budget;
    return {
      name: check.name,
      url: joinUrl(base, check.path),
      method: check.method,
      requestHeaders: { accept: "application/health+json, application/json;q=0.9, */*;q=0.5" },
      expectStatus: check.status,
      conditions: check.assert,
      validators: [],
      ...(budgetMs !== undefined ? { budgetMs } : {}),
      ...(check.percentile ? { percentileBudget: check.percentile } : {}),
      samples: overrides.samples ?? health.samples,
      tls: health.tls,
    };
  });
}
