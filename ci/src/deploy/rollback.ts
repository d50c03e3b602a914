/**
 * Rollback to the previous revision, or to `--to-revision N`:
 *   - a flip, in seconds, when the idle colour still runs exactly that revision's images and is ready (the old colour
 *     kept for the scale-down delay): switch the active Services, verify the routing, bake;
 *   - otherwise a redeploy of the recorded digests through the same blue/green path (apply, ready, preview, switch, bake).
 * The schema is never downgraded (docs/deploy.md). Recorded in the history as kind `rollback`.
 */
import { rollbackTarget } from "../core/deploy/history.js";
import { isServing } from "../core/deploy/live.js";
import { otherColour, type Colour } from "../core/deploy/names.js";
import { UsageError } from "../errors.js";
import type { DeployRecord } from "../schemas/deploy-record.js";
import type { DeployReport } from "../schemas/deploy-report.js";
import { Run, type EngineDeps, type Plan } from "./run.js";

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
  const plan: Plan = { idle: "blue", base: { version: "unknown", images: { backend: "unknown", frontend: "unknown" } } };
  return run.execute(plan, async () => {
    await run.lock();
    const live = await run.readLive();
    if (!live.active) throw new UsageError(`rollback: nothing is live in ${deps.envName} to roll back from`, { suggestion: "deploy first" });
    plan.active = live.active;
    plan.idle = otherColour(live.active);
    const target = rollbackTarget(run.records, request.toRevision);
    const method = canFlip(run, plan.idle, target) ? "flip" : "redeploy";
    plan.base = { version: target.version, images: target.images, method };
    await run.begin({ version: target.version, images: target.images, colour: plan.idle, rollbackTo: target.revision, method, ...(target.commit ? { commit: target.commit } : {}) });
    if (method === "flip") {
      run.steps.skip("apply the idle colour", `${plan.idle} still runs revision ${target.revision}'s images: a selector flip`);
    } else {
      await run.steps.run("apply the idle colour", async () => `${await run.applyColour(plan.idle, target.version, target.images)} (revision ${target.revision}'s digests)`);
      await run.prove(plan.idle);
    }
    await run.goLive(plan);
    return run.finish("deployed", `back on revision ${target.revision} (${target.version}) by ${method}`, { ...plan.base, colour: plan.idle });
  });
}
