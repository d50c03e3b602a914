/**
 * What deploy, rollback and status need for an ECS environment: the AWS adapter (credentials from the SDK's standard
 * chain, one retry policy with the environment's deadline, retries as progress lines), the engine's dependencies, and
 * the mapping of "not there" and "refused" to the kit's exit codes. Loaded only for ECS environments, so the AWS SDK
 * costs nothing to the other commands.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { AwsNotFound, AwsRejected, EcsApi } from "../../ecs/aws.js";
import type { EcsEngineDeps, EcsOutcome } from "../../ecs/run.js";
import { Unreachable, UsageError } from "../../errors.js";
import { createHttpClient } from "../../http.js";
import type { Clock } from "../../core/checks/run.js";
import type { CommandContext } from "./define.js";

type Ctx = Pick<CommandContext, "io" | "command">;
import { WEBHOOK_ENV, webhookNotifier, type EcsEnvironment } from "./cluster.js";

function clockOf(ctx: Ctx): Clock {
  return { monotonicMs: () => performance.now(), now: () => ctx.io.now(), sleep: (ms) => sleep(ms) };
}

/** The ECS and SSM adapter of the environment, with its retries reported on stderr. */
export function ecsApi(ctx: Ctx, target: EcsEnvironment): EcsApi {
  return new EcsApi(target.deploy, {
    deadlineMs: target.deploy.strategy.apiDeadline,
    clock: clockOf(ctx),
    onRetry: (line) => ctx.io.err(`${ctx.command} ${target.name}:   ${line}`),
  });
}

/** Everything the ECS engine needs, for real. */
function ecsEngineDeps(ctx: Ctx, target: EcsEnvironment, actor: string): { deps: EcsEngineDeps; close: () => Promise<void> } {
  const api = ecsApi(ctx, target);
  const http = createHttpClient();
  const notify = webhookNotifier(ctx.io.env[WEBHOOK_ENV]);
  const deps: EcsEngineDeps = {
    api,
    envName: target.name,
    env: target.env,
    config: target.deploy,
    clock: clockOf(ctx),
    progress: (line) => ctx.io.err(line),
    http,
    testListener: { baseUrl: target.deploy.testListener.url, probe: http },
    ...(notify ? { notify } : {}),
    identity: `${actor}@${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    actor,
  };
  return {
    deps,
    close: async () => {
      api.close();
      await http.close();
    },
  };
}

/** A read that found nothing is the user's to fix (exit 2); a refused request is exit 3. */
export function readFailure(ctx: Ctx, target: EcsEnvironment, error: unknown): unknown {
  if (error instanceof AwsNotFound) {
    return new UsageError(`${ctx.command}: ${target.name}: ${error.message}`, { suggestion: "check region, cluster and service in the environment's deploy: section (docs/deploy.md, ECS)" });
  }
  if (error instanceof AwsRejected) return new Unreachable(`${ctx.command}: ${target.name}: AWS refused: ${error.message}`);
  return error;
}

/** Run an ECS deploy or rollback with the engine's dependencies, and close the AWS and HTTP clients, whatever happened. */
export async function runWithEcsEngine(ctx: Ctx, target: EcsEnvironment, actor: string, run: (deps: EcsEngineDeps) => Promise<EcsOutcome>): Promise<EcsOutcome> {
  const { deps, close } = ecsEngineDeps(ctx, target, actor);
  try {
    return await run(deps);
  } finally {
    await close();
  }
}
