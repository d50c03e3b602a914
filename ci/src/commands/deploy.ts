/**
 * hello-ci deploy: blue/green deploy of a release to an environment: its Kubernetes namespace (src/deploy/deploy.ts)
 * or its ECS service with ECS's native blue/green and a pause hook (src/ecs/deploy.ts), by the environment's
 * `deploy.target`. Images by digest only; on Kubernetes the runtime Secret is checked (and may be filled from
 * environment variables); production-like environments need --yes or a confirmation on a terminal.
 */
import { z } from "zod";
import { APPS, type App } from "../core/deploy/names.js";
import { runDeploy } from "../deploy/deploy.js";
import type { DeployConfig } from "../schemas/deploy.js";
import { defineCommand, type CommandContext } from "./kit/define.js";
import { actorOf, clusterFlags, confirm, connect, deployEnvironment, emitRunReport, isKubernetes, runWithEngine, refuseClusterFlags } from "./kit/cluster.js";
import { releaseVersionOption } from "../schemas/release-options.js";
import { flag, flagsObject, repeatableFlag, switchFlag } from "./kit/flags.js";

const DIGEST_REF = /^(?<repo>[^@\s]+)@sha256:[0-9a-f]{64}$/;

const flags = {
  ...clusterFlags("the environment to deploy to (ci/config/environments.yaml)"),
  version: flag("<version>", "the release to deploy, e.g. v1.2.3", releaseVersionOption),
  backendImage: flag("<ref>", "the backend image by digest, <repository>@sha256:…", z.string().optional()),
  frontendImage: flag("<ref>", "the frontend image by digest, <repository>@sha256:…", z.string().optional()),
  secretFromEnv: repeatableFlag("<KEY=VAR>", "set runtime Secret key KEY from environment variable VAR (repeatable; values are never printed)", z.array(z.string()).default([])),
  commit: flag("<sha>", "the commit being deployed, recorded in the history", z.string().regex(/^[0-9a-f]{7,40}$/, "a commit SHA").optional()),
  actor: flag("<name>", "who deploys, recorded in the history (default: $GITHUB_ACTOR, then $USER)", z.string().min(1).optional()),
  yes: switchFlag("do not ask for confirmation (environments with requireConfirmation need it, or a terminal)"),
  json: switchFlag("print the report as JSON (schema helloagents/deploy-report@1)"),
  report: flag("<file>", "write the Markdown report to this file", z.string().min(1).optional()),
  backup: flag("<file>", "write the backup of the live objects taken before the change to this file (JSON)", z.string().min(1).optional()),
};

export const deployOptionsSchema = flagsObject(flags);
export type DeployOptions = z.infer<typeof deployOptionsSchema>;

export const DEPLOY_EXIT_CODES = "0 deployed, 1 not switched or rolled back (the live version untouched or restored), 2 invalid input (nothing changed), 3 the cluster or AWS did not answer, refused the credentials, or the lock is held, 4 failed and recovery did not complete";

/** The images by digest, each from the environment's repository. */
export function imagesOf(ctx: CommandContext<typeof flags>, options: DeployOptions, deploy: Pick<DeployConfig, "images">): Record<App, string> {
  const given: Record<App, string | undefined> = { backend: options.backendImage, frontend: options.frontendImage };
  const images = {} as Record<App, string>;
  for (const app of APPS) {
    const key = app === "backend" ? "backendImage" : "frontendImage";
    const ref = given[app];
    if (!ref) throw ctx.optionError(key, `missing: give the ${app} image by digest, ${deploy.images[app]}@sha256:…`, "`dagger call deploy` resolves the release's tags to digests for you");
    const match = DIGEST_REF.exec(ref);
    if (!match) throw ctx.optionError(key, `${ref} is not pinned by digest: give ${deploy.images[app]}@sha256:<64 hex> (a tag can move)`);
    if (match.groups!.repo!.toLowerCase() !== deploy.images[app]) throw ctx.optionError(key, `${match.groups!.repo} is not this environment's ${app} repository ${deploy.images[app]}`);
    images[app] = ref;
  }
  return images;
}

/** `KEY=VAR` pairs → KEY → the value of VAR, read now; a missing variable is invalid input. */
export function secretValues(ctx: CommandContext<typeof flags>, pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([-._a-zA-Z0-9]+)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(pair);
    if (!match) throw ctx.optionError("secretFromEnv", `${JSON.stringify(pair)} is not KEY=VARIABLE`);
    const value = ctx.io.env[match[2]!];
    if (value === undefined || value === "") throw ctx.optionError("secretFromEnv", `environment variable ${match[2]} (for ${match[1]}) is not set`);
    values[match[1]!] = value;
  }
  return values;
}

export const deployCommand = defineCommand({
  name: "deploy",
  description: "blue/green deploy of a release to an environment: migrate, bring up the idle colour, smoke it, switch, bake, flip back on failure",
  flags,
  schema: deployOptionsSchema,
  exitCodes: DEPLOY_EXIT_CODES,
  async run(ctx, options) {
    const version = options.version.raw;
    const target = await deployEnvironment(ctx, options);
    const images = imagesOf(ctx, options, target.deploy);
    const request = { version: version, images, ...(options.commit ? { commit: options.commit } : {}) };
    if (!isKubernetes(target)) {
      refuseClusterFlags(ctx, options, target);
      if (options.secretFromEnv.length > 0) {
        throw ctx.optionError("secretFromEnv", `environment ${JSON.stringify(target.name)} deploys to ECS: secrets are references in the task definition, never values`, "name them in deploy.containers.backend.secrets (Secrets Manager or SSM parameter ARNs)");
      }
      await confirm(ctx, target, options.yes, `Deploy ${version}`);
      const { runWithEcsEngine } = await import("./kit/ecs.js");
      const { runEcsDeploy } = await import("../ecs/deploy.js");
      const { report, backup } = await runWithEcsEngine(ctx, target, actorOf(ctx.io.env, options.actor), (deps) => runEcsDeploy(deps, request));
      await emitRunReport(ctx, report, options, backup);
      return;
    }
    const values = secretValues(ctx, options.secretFromEnv);
    const connection = connect(ctx, options, target.deploy);
    await confirm(ctx, target, options.yes, `Deploy ${version}`);
    const { report, backup } = await runWithEngine(ctx, target, connection, actorOf(ctx.io.env, options.actor), (deps) => runDeploy(deps, { ...request, secretValues: values }));
    await emitRunReport(ctx, report, options, backup);
  },
});
