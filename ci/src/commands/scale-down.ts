/** hello-ci scale-down: scale the old colour to zero once its scale-down delay is over (a rollback is then a redeploy). */
import { scaleDownIdle } from "../deploy/status.js";
import { defineCommand } from "./kit/define.js";
import { clusterFlags, connect, kubernetesEnvironment } from "./kit/cluster.js";
import { flagsObject, switchFlag } from "./kit/flags.js";

const flags = {
  ...clusterFlags("the environment whose old colour to scale down"),
  now: switchFlag("scale it down even before its scale-down delay is over"),
};

export const scaleDownOptionsSchema = flagsObject(flags);

export const scaleDownCommand = defineCommand({
  name: "scale-down",
  description: "scale the old colour to zero once its scale-down delay is over (run it on a schedule, or let the next deploy reuse it)",
  flags,
  schema: scaleDownOptionsSchema,
  exitCodes: "0 done or nothing to do, 2 invalid input, 3 the cluster did not answer",
  async run(ctx, options) {
    const target = await kubernetesEnvironment(ctx, options);
    const { cluster } = connect(ctx, options, target.deploy);
    ctx.io.out(`${target.name}: ${await scaleDownIdle(cluster, ctx.io.now(), options.now)}`);
  },
});
