/** `--env NAME` and `--config FILE`, shared by the commands that read ci/config/environments.yaml. */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseEnvironmentsConfig, unknownEnvironment } from "../../core/config/environments.js";
import type { EnvironmentConfig, EnvironmentsConfig } from "../../schemas/environments.js";
import type { CommandContext } from "./define.js";
import { defaultedFlag, flag } from "./flags.js";

/** ci/config/environments.yaml, found from this file in src/commands/kit or dist/commands/kit. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL("../../../config/environments.yaml", import.meta.url));

/** The two flags; `envHelp` says what the command does with the environment. */
export function environmentFlags(envHelp: string) {
  return {
    env: flag("<name>", envHelp, z.string().min(1).optional()),
    config: defaultedFlag("<file>", "environments configuration", z.string().min(1), DEFAULT_CONFIG_PATH, "ci/config/environments.yaml"),
  };
}

type ConfigContext = CommandContext<ReturnType<typeof environmentFlags>>;

/** Read and validate the configuration named by --config (exit 2 naming the file, or the invalid field). */
export async function loadEnvironments(ctx: ConfigContext, configPath: string): Promise<EnvironmentsConfig> {
  return parseEnvironmentsConfig(await ctx.readFile("config", configPath), configPath);
}

/** The environment named by --env in `config`, or exit 2 listing the known ones. */
export function environmentNamed(ctx: ConfigContext, config: EnvironmentsConfig, name: string): EnvironmentConfig {
  const env = config.environments[name];
  if (!env) throw ctx.optionError("env", unknownEnvironment(config, name));
  return env;
}

/** Read the configuration and pick the environment named by --env. */
export async function loadEnvironment(ctx: ConfigContext, options: { env: string; config: string }): Promise<EnvironmentConfig> {
  return environmentNamed(ctx, await loadEnvironments(ctx, options.config), options.env);
}
