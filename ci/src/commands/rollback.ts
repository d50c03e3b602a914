/**
 * hello-ci rollback: back to the previous revision (or --to-revision N): a selector flip while the old colour still
 * runs, otherwise a blue/green redeploy of the recorded digests (src/deploy/rollback.ts).
 */
import { z } from "zod";
import { runRollback } from "../deploy/rollback.js";
import { defineCommand } from "./kit/define.js";
import { actorOf, clusterFlags, confirm, connect, emitRunReport, engineDeps, kubernetesEnvironment } from "./kit/cluster.js";
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
  description: "roll an environment back to the previous revision (or --to-revision N): a selector flip in seconds while the old colour runs, else a blue/green redeploy",
  flags,
  schema: rollbackOptionsSchema,
  exitCodes: DEPLOY_EXIT_CODES.replace("0 deployed", "0 rolled back"),
  async run(ctx, options) {
    const target = await kubernetesEnvironment(ctx, options);
    const connection = connect(ctx, options, target.deploy);
    await confirm(ctx, target, options.yes, options.toRevision ? `Roll back to revision ${options.toRevision}` : "Roll back to the previous revision");
    const { deps, close } = await engineDeps(ctx, target, connection, actorOf(ctx.io.env, options.actor));
    try {
      const report = await runRollback(deps, options.toRevision !== undefined ? { toRevision: options.toRevision } : {});
      const backup = report.revision !== undefined ? await connection.cluster.backupOf(report.revision).catch(() => undefined) : undefined;
      await emitRunReport(ctx, report, options, backup);
    } finally {
      await close();
    }
  },
});
