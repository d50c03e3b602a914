/**
 * Deploy a release to an ECS service with ECS's native blue/green (the steps and the recovery rules: run.ts).
 */
import { isInputError } from "../errors.js";
import { EcsRun, type EcsEngineDeps, type EcsOutcome, type Images } from "./run.js";

export interface EcsDeployRequest {
  version: string;
  /** Image per app, by digest. */
  images: Images;
  commit?: string;
}

export async function runEcsDeploy(deps: EcsEngineDeps, request: EcsDeployRequest): Promise<EcsOutcome> {
  const run = new EcsRun(deps, "deploy");
  const base = { version: request.version, images: request.images };
  try {
    await run.lock();
    await run.readLive();
    await run.begin({ version: request.version, images: request.images, ...(request.commit ? { commit: request.commit } : {}) });
    const arn = await run.register({ version: request.version, images: request.images });
    await run.update(arn);
    if ((await run.waitForTestTraffic()) === "hook") {
      await run.smokeTestListener();
      await run.continueDeployment();
    }
    await run.productionAndBake();
    return { report: await run.finish("deployed", `${request.version} is live on ${arn.split("/").pop()}`, base), backup: run.backup() };
  } catch (error) {
    if (isInputError(error)) throw error;
    const { result, reason } = await run.recover(error);
    return { report: await run.finish(result, reason, base), backup: run.backup() };
  } finally {
    await run.unlock();
  }
}
