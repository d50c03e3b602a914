/**
 * Roll an ECS environment back to the previous revision, or to `--to-revision N`, through the same blue/green path
 * as a deploy (update, pause hook, test-listener smoke, CONTINUE, production shift, bake). The task-definition
 * revision the target record put live is used as it is while ECS still has it ACTIVE with the recorded images;
 * otherwise the live revision is registered again with the recorded digests. Recorded as kind `rollback`, method
 * `redeploy` (ECS has no idle copy to flip to once a deployment's bake is over).
 */
import { rollbackTarget } from "../core/deploy/history.js";
import { imagesOf } from "../core/deploy/ecs-task-definition.js";
import type { DeployReport } from "../schemas/deploy-report.js";
import { AwsNotFound, AwsRejected } from "./aws.js";
import { isInputError } from "../errors.js";
import { EcsRun, type EcsEngineDeps, type EcsOutcome } from "./run.js";

export interface EcsRollbackRequest {
  toRevision?: number;
}

export async function runEcsRollback(deps: EcsEngineDeps, request: EcsRollbackRequest): Promise<EcsOutcome> {
  const run = new EcsRun(deps, "rollback");
  let base: Pick<DeployReport, "version" | "images"> = { version: "unknown", images: { backend: "unknown", frontend: "unknown" } };
  try {
    await run.lock();
    await run.readLive();
    const target = rollbackTarget(run.records, request.toRevision);
    base = { version: target.version, images: target.images };
    await run.begin({ version: target.version, images: target.images, rollbackTo: target.revision, method: "redeploy", ...(target.commit ? { commit: target.commit } : {}) });
    const reusable = target.taskDefinition ? await stillActive(run, target.taskDefinition, target.images) : false;
    const arn = reusable ? target.taskDefinition! : await run.register({ version: target.version, images: target.images });
    if (reusable) await run.reuse(arn, `revision ${target.revision}'s task definition, used as it is`);
    await run.update(arn);
    if ((await run.waitForTestTraffic()) === "hook") {
      await run.smokeTestListener();
      await run.continueDeployment();
    }
    await run.productionAndBake();
    return { report: await run.finish("deployed", `back on revision ${target.revision} (${target.version}) through ECS blue/green`, { ...base, method: "redeploy" }), backup: run.backup() };
  } catch (error) {
    if (isInputError(error)) throw error;
    const { result, reason } = await run.recover(error);
    return { report: await run.finish(result, reason, { ...base, method: "redeploy" }), backup: run.backup() };
  } finally {
    await run.unlock();
  }
}

/** Is the recorded revision still ACTIVE in ECS with the recorded images (a deregistered one cannot be deployed)? */
async function stillActive(run: EcsRun, arn: string, images: { backend: string; frontend: string }): Promise<boolean> {
  try {
    const { taskDefinition } = await run.api.taskDefinition(arn);
    const running = imagesOf(taskDefinition, run.config);
    return taskDefinition.status === "ACTIVE" && running.backend === images.backend && running.frontend === images.frontend;
  } catch (error) {
    if (error instanceof AwsNotFound || error instanceof AwsRejected) return false;
    throw error;
  }
}
