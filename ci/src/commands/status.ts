/**
 * hello-ci status: what is live in an environment and since when, the idle colour (Kubernetes) or the task-definition
 * revision and a deployment in progress (ECS), the lock, the history and its numbers, in the same schema for both.
 */
import { renderStatus } from "../core/deploy/report.js";
import { readStatus } from "../deploy/status.js";
import { defineCommand } from "./kit/define.js";
import { clusterFlags, connect, deployEnvironment, isKubernetes, refuseClusterFlags } from "./kit/cluster.js";
import { flagsObject, switchFlag } from "./kit/flags.js";

const flags = {
  ...clusterFlags("the environment to describe (ci/config/environments.yaml)"),
  json: switchFlag("print the status as JSON (schema helloagents/deploy-status@1)"),
};

export const statusOptionsSchema = flagsObject(flags);

export const statusCommand = defineCommand({
  name: "status",
  description: "show what is live in an environment (colour, version, digests, replicas), the deploy history and its success rate, rollback frequency and time to restore",
  flags,
  schema: statusOptionsSchema,
  exitCodes: "0 shown, 2 invalid input, 3 the cluster or AWS did not answer or refused the credentials",
  async run(ctx, options) {
    const target = await deployEnvironment(ctx, options);
    if (!isKubernetes(target)) {
      refuseClusterFlags(ctx, options, target);
      const { ecsApi, readFailure } = await import("./kit/ecs.js");
      const { readEcsStatus } = await import("../ecs/status.js");
      const { renderEcsStatus } = await import("../core/deploy/ecs-status.js");
      const api = ecsApi(ctx, target);
      try {
        const view = await readEcsStatus(api, target.name, ctx.io.now()).catch((error: unknown) => {
          throw readFailure(ctx, target, error);
        });
        ctx.io.out(options.json ? JSON.stringify(view, null, 2) : renderEcsStatus(view));
      } finally {
        api.close();
      }
      return;
    }
    const { cluster } = connect(ctx, options, target.deploy);
    const view = await readStatus(cluster, target.name, ctx.io.now());
    ctx.io.out(options.json ? JSON.stringify(view, null, 2) : renderStatus(view));
  },
});
