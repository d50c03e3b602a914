/**
 * Reading the environments configuration: parse YAML, validate with zod (errors name the field), and compile an
 * environment's health section into engine checks.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { describeZodError, UsageError } from "../../errors.js";
import { environmentsConfigSchema, type EnvironmentConfig, type EnvironmentsConfig } from "../../schemas/environments.js";
import type { CheckSpec } from "../health/model.js";

/** Default location, relative to the ci/ package. */
export const DEFAULT_CONFIG_PATH = "config/environments.yaml";

/** Validate configuration text; `source` names the file in error messages. */
export function parseEnvironmentsConfig(text: string, source: string): EnvironmentsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) throw new UsageError(`${source}: invalid YAML: ${error.message.split("\n")[0]}`);
    throw error;
  }
  const parsed = environmentsConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, `${source} is invalid`));
  return parsed.data;
}

export async function loadEnvironmentsConfig(path: string): Promise<EnvironmentsConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new UsageError(`cannot read the environments configuration ${path} (${reason})`, { suggestion: "pass --config FILE" });
  }
  return parseEnvironmentsConfig(text, path);
}

/** The named environment, or a usage error listing the known ones. */
export function selectEnvironment(config: EnvironmentsConfig, name: string): EnvironmentConfig {
  const env = config.environments[name];
  if (!env) {
    const known = Object.keys(config.environments).sort();
    throw new UsageError(`unknown environment ${JSON.stringify(name)}; known environments: ${known.join(", ")}`);
  }
  return env;
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
