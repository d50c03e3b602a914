/**
 * Blue/green deploy on plain Kubernetes objects, in this order (each a step in the report):
 *   lock → read live state (converge a half-switched one) → runtime Secret → backup and record → migrate →
 *   apply the idle colour → wait for ready → verify the preview routing → smoke the preview → switch → bake →
 *   keep the old colour → record, notify, report.
 * A failure before the switch scales the new colour down and leaves the live one untouched; after it, the active
 * Services flip back at once (run.ts).
 */
import { otherColour } from "../core/deploy/names.js";
import { migrationJob } from "../core/deploy/manifests.js";
import { jobReadiness } from "../core/deploy/readiness.js";
import { UsageError } from "../errors.js";
import type { KubeObject } from "../kube/client.js";
import type { DeployReport } from "../schemas/deploy-report.js";
import { StepFailed } from "./steps.js";
import { pollUntil } from "./wait.js";
import { Run, type EngineDeps, type Images, type Plan } from "./run.js";

export interface DeployRequest {
  version: string;
  /** Image per app, by digest. */
  images: Images;
  commit?: string;
  /** Runtime Secret values to create or update first (KEY → value, read from the environment at the last moment). */
  secretValues: Record<string, string>;
}

/** Check the runtime Secret holds every key the backend needs (values never read), after applying given values. */
async function checkRuntimeSecret(run: Run, values: Record<string, string>): Promise<string> {
  const { runtimeSecret } = run.config;
  if (Object.keys(values).length > 0) {
    run.changed = true;
    await run.cluster.applySecretValues(values);
  }
  const keys = await run.cluster.secretKeys();
  if (!keys) {
    throw new UsageError(`the runtime Secret ${run.cluster.namespace}/${runtimeSecret.name} does not exist`, {
      suggestion: `create it with kubectl create secret generic ${runtimeSecret.name} -n ${run.cluster.namespace} (keys: ${runtimeSecret.keys.join(", ")}) or pass --secret-from-env KEY=VAR`,
    });
  }
  const missing = runtimeSecret.keys.filter((k) => !keys.includes(k));
  if (missing.length > 0) {
    throw new UsageError(`the runtime Secret ${run.cluster.namespace}/${runtimeSecret.name} lacks ${missing.join(", ")}`, {
      suggestion: `add them (kubectl edit secret ${runtimeSecret.name}) or pass --secret-from-env ${missing[0]}=VAR`,
    });
  }
  const updated = Object.keys(values).length > 0 ? `; updated ${Object.keys(values).sort().join(", ")}` : "";
  return `${runtimeSecret.name} holds all ${runtimeSecret.keys.length} required keys${updated}`;
}

async function migrate(run: Run, job: ReturnType<typeof migrationJob>): Promise<string> {
  run.changed = true;
  await run.cluster.kube.apply(job as KubeObject);
  const name = job.metadata!.name!;
  const { clock, pollMs } = run.deps;
  const outcome = await pollUntil(clock, run.config.strategy.progressDeadline, pollMs, async () => {
    const { job: current, pods } = await run.cluster.job(name);
    const r = jobReadiness(current, pods);
    if (r.state === "failed") throw new StepFailed("migrate", r.detail);
    return r.state === "ready" ? { done: true as const, value: r.detail } : { done: false as const, detail: r.detail };
  });
  if (!outcome.done) throw new StepFailed("migrate", `${name} did not finish within the progress deadline: ${outcome.detail}`);
  return outcome.value;
}

export async function runDeploy(deps: EngineDeps, request: DeployRequest): Promise<DeployReport> {
  const run = new Run(deps, "deploy");
  const plan: Plan = { idle: "blue", base: { version: request.version, images: request.images } };
  return run.execute(plan, async () => {
    await run.lock();
    const live = await run.readLive();
    plan.active = live.active;
    plan.idle = live.active ? otherColour(live.active) : "blue";
    await run.steps.run("runtime secret", () => checkRuntimeSecret(run, request.secretValues));
    const record = await run.begin({ version: request.version, images: request.images, colour: plan.idle, ...(request.commit ? { commit: request.commit } : {}) });
    await run.steps.run("migrate", () => migrate(run, migrationJob(run.config, { env: deps.envName, version: request.version, images: request.images, colour: plan.idle, revision: record.revision })));
    await run.steps.run("apply the idle colour", () => run.applyColour(plan.idle, request.version, request.images));
    await run.prove(plan.idle);
    await run.goLive(plan);
    return run.finish("deployed", `${request.version} is live on ${plan.idle}`, { ...plan.base, colour: plan.idle });
  });
}
