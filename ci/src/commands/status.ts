/** hello-ci status: what is live in an environment and since when, the idle colour, the lock, the history and its numbers. */
import { renderStatus } from "../core/deploy/report.js";
import { readStatus } from "../deploy/status.js";
import { defineCommand } from "./kit/define.js";
import { clusterFlags, connect, kubernetesEnvironment } from "./kit/cluster.js";
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
  exitCodes: "0 shown, 2 invalid input, 3 the cluster did not answer",
  async run(ctx, options) {
    const target = await kubernetesEnvironment(ctx, options);
    const { cluster } = connect(ctx, options, target.deploy);
    const view = await readStatus(cluster, target.name, ctx.io.now());
    ctx.io.out(options.json ? JSON.stringify(view, null, 2) : renderStatus(view));
  },
});
