/**
 * Rollback to the previous revision, or to `--to-revision N`:
 *   - a flip, in seconds, when the idle colour still runs exactly that revision's images and is ready (the old colour
 *     kept for the scale-down delay): switch the active Services, verify the routing, bake;
 *   - otherwise a redeploy of the recorded digests through the same blue/green path (apply, ready, preview, switch, bake).
 * The schema is never downgraded (docs/deploy.md). Recorded in the history as kind `rollback`.
 */
import { rollbackTarget } from "../core/deploy/history.js";
import { isServing } from "../core/deploy/live.js";
import { deployment, sharedObjects } from "../core/deploy/manifests.js";
import { APPS, otherColour, type Colour } from "../core/deploy/names.js";
import { UsageError } from "../errors.js";
import type { KubeObject } from "../kube/client.js";
import type { DeployRecord } from "../schemas/deploy-record.js";
import type { DeployReport } from "../schemas/deploy-report.js";
import { Run, isInputError, type EngineDeps } from "./run.js";

export interface RollbackRequest {
  toRevision?: number;
}

/** Does the idle colour still run the target's images, ready to take traffic? */
function canFlip(run: Run, idle: Colour, target: DeployRecord): boolean {
  const state = run.live!.colours[idle];
  return isServing(state) && state.images.backend === target.images.backend && state.images.frontend === target.images.frontend;
}

export async function runRollback(deps: EngineDeps, request: RollbackRequest): Promise<DeployReport> {
  const run = new Run(deps, "rollback");
  let base: Pick<DeployReport, "version" | "images"> = { version: "unknown", images: { backend: "unknown", frontend: "unknown" } };
  let idle: Colour = "blue";
  let active: Colour | undefined;
  let method: "flip" | "redeploy" = "flip";
  try {
    await run.lock();
    const live = await run.readLive();
    active = live.active;
    if (!active) throw new UsageError(`rollback: nothing is live in ${deps.envName} to roll back from`, { suggestion: "deploy first" });
    idle = otherColour(active);
    const target = rollbackTarget(run.records, request.toRevision);
    base = { version: target.version, images: target.images };
    method = canFlip(run, idle, target) ? "flip" : "redeploy";
    await run.begin({ version: target.version, images: target.images, colour: idle, rollbackTo: target.revision, method, ...(target.commit ? { commit: target.commit } : {}) });
    if (method === "flip") {
      run.steps.skip("apply the idle colour", `${idle} still runs revision ${target.revision}'s images: a selector flip`);
    } else {
      await run.steps.run("apply the idle colour", async () => {
        run.changed = true;
        const input = { env: deps.envName, version: target.version, images: target.images, colour: idle, revision: run.record!.revision };
        for (const object of [...sharedObjects(run.config, idle), ...APPS.map((app) => deployment(run.config, input, app))]) await run.cluster.kube.apply(object as KubeObject);
        await run.cluster.markScaleDown(idle, undefined);
        return `${idle} redeployed with revision ${target.revision}'s digests`;
      });
      await run.steps.run("wait for ready", () => run.waitReady(idle));
      await run.steps.run("verify preview routing", () => run.verifyRouting(idle, "preview"));
      await run.steps.run("smoke the preview", () => run.smokePreview());
    }
    await run.steps.run("switch", async () => `active Services on ${idle}: ${await run.switchTo(idle)}`);
    await run.steps.run("bake", () => run.bake(idle));
    await run.keepOldColour(active);
    return await run.finish("deployed", `back on revision ${target.revision} (${target.version}) by ${method}`, { ...base, colour: idle, method });
  } catch (error) {
    if (isInputError(error)) throw error;
    const { result, reason } = await run.recover(error, idle, active);
    return await run.finish(result, reason, { ...base, colour: idle, method });
  } finally {
    await run.unlock();
  }
}
