/**
 * hello-ci deploy-images: the image references of a release for an environment (its repositories, the version's tag),
 * as JSON. `dagger call deploy` resolves these tags to digests on the engine (with the registry credentials), then
 * runs `hello-ci deploy` with the digests: a deploy never uses a tag.
 */
import { tagOf } from "../core/deploy/manifests.js";
import { defineCommand } from "./kit/define.js";
import { environmentFlags } from "./kit/environments.js";
import { deployEnvironment } from "./kit/cluster.js";
import { releaseVersionOption } from "../schemas/release-options.js";
import { flag, flagsObject } from "./kit/flags.js";

const flags = {
  ...environmentFlags("the environment whose image repositories to use"),
  version: flag("<version>", "the release, e.g. v1.2.3", releaseVersionOption),
};

export const deployImagesOptionsSchema = flagsObject(flags);

export const deployImagesCommand = defineCommand({
  name: "deploy-images",
  description: "print the tag references of a release's images for an environment, as JSON (for digest resolution)",
  flags,
  schema: deployImagesOptionsSchema,
  exitCodes: "0 printed, 2 invalid input",
  async run(ctx, options) {
    const version = options.version.raw;
    const target = await deployEnvironment(ctx, options);
    const out = {
      schema: "helloagents/deploy-images@1",
      env: target.name,
      /** kubernetes or ecs: what the Dagger functions must hand over (a kubeconfig, or AWS credentials). */
      target: target.deploy.target,
      version,
      backend: `${target.deploy.images.backend}:${tagOf(version)}`,
      frontend: `${target.deploy.images.frontend}:${tagOf(version)}`,
      requireConfirmation: target.deploy.requireConfirmation,
    };
    ctx.io.out(JSON.stringify(out, null, 2));
  },
});
