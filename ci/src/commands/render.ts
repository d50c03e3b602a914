/**
 * hello-ci render: print the Kubernetes objects a deploy applies for one colour, as YAML documents (no cluster needed):
 * the migration Job, the colour's Deployments, the active and preview Services, the colour Services, NetworkPolicies
 * and PodDisruptionBudgets. Images by digest when given, else the release's tags (a deploy itself never uses a tag).
 */
import { stringify } from "yaml";
import { z } from "zod";
import { renderAll, tagReference } from "../core/deploy/manifests.js";
import { APPS, type App } from "../core/deploy/names.js";
import { defineCommand } from "./kit/define.js";
import { environmentFlags } from "./kit/environments.js";
import { kubernetesEnvironment } from "./kit/cluster.js";
import { releaseVersionOption } from "../schemas/release-options.js";
import { defaultedFlag, flag, flagsObject } from "./kit/flags.js";
import { wholeNumberSchema } from "../schemas/primitives.js";

const DIGEST_REF = /^[^@\s]+@sha256:[0-9a-f]{64}$/;

const flags = {
  ...environmentFlags("the environment whose deploy: section to render"),
  version: flag("<version>", "the release, e.g. v1.2.3", releaseVersionOption),
  backendImage: flag("<ref>", "the backend image by digest (default: the release's tag)", z.string().regex(DIGEST_REF, "give <repository>@sha256:<64 hex>").optional()),
  frontendImage: flag("<ref>", "the frontend image by digest (default: the release's tag)", z.string().regex(DIGEST_REF, "give <repository>@sha256:<64 hex>").optional()),
  colour: defaultedFlag("<colour>", "the colour to render: blue or green", z.enum(["blue", "green"], { error: "expected blue or green" }), "blue"),
  revision: defaultedFlag("<n>", "the revision naming the migration Job", wholeNumberSchema(1, 1_000_000), "1"),
};

export const renderOptionsSchema = flagsObject(flags);

export const renderCommand = defineCommand({
  name: "render",
  description: "print the Kubernetes manifests a deploy applies for one colour, as YAML (no cluster needed)",
  flags,
  schema: renderOptionsSchema,
  exitCodes: "0 printed, 2 invalid input",
  async run(ctx, options) {
    const version = options.version.raw;
    const target = await kubernetesEnvironment(ctx, options);
    const given: Record<App, string | undefined> = { backend: options.backendImage, frontend: options.frontendImage };
    const images = Object.fromEntries(APPS.map((app) => [app, given[app] ?? tagReference(target.deploy, app, version)])) as Record<App, string>;
    const objects = renderAll(target.deploy, { env: target.name, version, images, colour: options.colour, revision: options.revision });
    ctx.io.out(objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n"));
  },
});
