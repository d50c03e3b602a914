/**
 * hello-ci rollback: back to the previous revision (or --to-revision N). On Kubernetes a selector flip while the old
 * colour still runs, otherwise a blue/green redeploy of the recorded digests (src/deploy/rollback.ts); on ECS the
 * recorded task-definition revision through ECS's blue/green with the pause hook (src/ecs/rollback.ts).
 */
import { z } from "zod";
import { runRollback } from "../deploy/rollback.js";
import { defineCommand } from "./kit/define.js";
import { actorOf, clusterFlags, confirm, connect, deployEnvironment, emitRunReport, isKubernetes, runWithEngine, refuseClusterFlags } from "./kit/cluster.js";
import { flag, flagsObject, switchFlag } from "./kit/flags.js";
import { wholeNumberSchema } from "../schemas/primitives.js";
import { DEPLOY_EXIT_CODES } from "./deploy.js";

const flags = {
  ...clusterFlags("the environment to roll back (ci/config/environments.yaml)"),
  toRevision: flag("<n>", "the revision to go back to (see hello-ci status); default: the previous one", wholeNumberSchema(1, 1_000_000).optional()),
  actor: flag("<name>", "who rolls back, recorded in the history (default: $GITHUB_ACTOR, then $USER)", z.string().min(1).optional()),
  yes: switchFlag("do not ask for confirmation (environments with requireConfirmation need it, or a terminal)"),
  json: switchFlag("print the report as JSON (schema helloagents/deploy-report@1)"),
  report: flag("<file>", "write the Markdown report to this file", z.string().min(1).optional()),
  backup: flag("<file>", "write the backup of the live objects taken before the change to this file (JSON)", z.string().min(1).optional()),
};

export const rollbackOptionsSchema = flagsObject(flags);

export const rollbackCommand = defineCommand({
  name: "rollback",
  description: "roll an environment back to the previous revision (or --to-revision N): a selector flip in seconds while the old colour runs, else a blue/green redeploy (ECS: blue/green to the recorded revision)",
  flags,
  schema: rollbackOptionsSchema,
  exitCodes: DEPLOY_EXIT_CODES.replace("0 deployed", "0 rolled back"),
  async run(ctx, options) {
    const target = await deployEnvironment(ctx, options);
    const question = options.toRevision ? `Roll back to revision ${options.toRevision}` : "Roll back to the previous revision";
    const request = options.toRevision !== undefined ? { toRevision: options.toRevision } : {};
    if (!isKubernetes(target)) {
      refuseClusterFlags(ctx, options, target);
      await confirm(ctx, target, options.yes, question);
      const { runWithEcsEngine } = await import("./kit/ecs.js");
      const { runEcsRollback } = await import("../ecs/rollback.js");
      const { report, backup } = await runWithEcsEngine(ctx, target, actorOf(ctx.io.env, options.actor), (deps) => runEcsRollback(deps, request));
      await emitRunReport(ctx, report, options, backup);
      return;
    }
    const connection = connect(ctx, options, target.deploy);
    await confirm(ctx, target, options.yes, question);
    const { report, backup } = await runWithEngine(ctx, target, connection, actorOf(ctx.io.env, options.actor), (deps) => runRollback(deps, request));
    await emitRunReport(ctx, report, options, backup);
  },
});
