/**
 * The `deploy:` section of an environment (ci/config/environments.yaml): where and how `hello-ci deploy`, `rollback` and
 * `status` work. Strict like the rest of the file: an unknown key is an error naming the field. `target` picks the
 * engine: `kubernetes` (blue/green on plain objects, src/deploy/) or `ecs` (ECS's native blue/green with a pause hook,
 * src/ecs/); everything else about an environment is the same for both.
 */
import { z } from "zod";
import { durationSchema, httpUrlSchema, positiveDurationSchema } from "./primitives.js";

/** A Kubernetes object name (RFC 1123 label). */
export const k8sNameSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "use lower-case letters, digits and dashes (an RFC 1123 name)")
  .max(63, "at most 63 characters");

/** An image repository without tag or digest, e.g. `ghcr.io/acme/helloagents-backend`. */
export const imageRepositorySchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/, "a lower-case repository such as ghcr.io/acme/helloagents-backend, without tag or digest");

/** A Kubernetes resource quantity: `100m`, `0.5`, `256Mi`, `1G`. */
const quantitySchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value);
  if (/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(text)) return text;
  ctx.issues.push({ code: "custom", input: value, message: `${JSON.stringify(value)} is not a Kubernetes quantity (e.g. 100m, 0.5, 256Mi)` });
  return z.NEVER;
});

const resourceListSchema = z.object({ cpu: quantitySchema.optional(), memory: quantitySchema.optional() }).strict();

const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "a Kubernetes label or annotation key");
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, "a Kubernetes label value (63 characters of letters, digits, -_.)").max(63);

export const appDeploySchema = z
  .object({
    replicas: z.number().int().min(1).max(100).default(2),
    /** Added to this app's pod template only, after the environment's podAnnotations. */
    podAnnotations: z.record(labelKey, z.string()).default({}),
    resources: z
      .object({ requests: resourceListSchema.prefault({ cpu: "100m", memory: "128Mi" }), limits: resourceListSchema.prefault({ memory: "512Mi" }) })
      .strict()
      .prefault({}),
  })
  .strict();

/** A workload the backend talks to (PostgreSQL, Redis): in the cluster (pods with these labels) or outside (CIDRs). */
const dependencySchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    podLabels: z.record(labelKey, labelValue).optional(),
    cidrs: z.array(z.cidrv4()).min(1).optional(),
  })
  .strict()
  .refine((d) => (d.podLabels === undefined) !== (d.cidrs === undefined), { message: "give either podLabels (in the cluster) or cidrs (outside it)" });

export const strategySchema = z
  .object({
    /** How long the idle colour (and the migration Job) may take to become ready; a stuck rollout fails after it. */
    progressDeadline: positiveDurationSchema.prefault("5m"),
    /** How long public health is watched after the switch. */
    bakeTime: durationSchema.prefault("2m"),
    /** One round of public health checks every interval during the bake. */
    probeInterval: positiveDurationSchema.prefault("10s"),
    /** Share of failed bake rounds above which the new colour counts as failing (a high error rate): flip back. */
    maxFailureRatio: z.number().min(0).max(1).default(0.2),
    /** How long the old colour keeps running after a switch, so that a rollback is a selector flip. */
    scaleDownDelay: durationSchema.prefault("10m"),
    /** Deploy records kept in the namespace (like Helm's --history-max). */
    historyLimit: z.number().int().min(2).max(1000).default(20),
    /** How long the deploy lock lasts without renewal (a run renews it every third of that): a dead run blocks no longer. */
    lockDuration: positiveDurationSchema.prefault("60s"),
    /** How often waits ask the cluster again. */
    pollInterval: positiveDurationSchema.prefault("1s"),
  })
  .strict()
  .refine((s) => s.bakeTime === 0 || s.probeInterval <= s.bakeTime, { message: "probeInterval must not exceed bakeTime", path: ["probeInterval"] });

// ---- ECS ----------------------------------------------------------------------------------------------------------

/** A cluster, service or task-definition family name (ECS allows up to 255 letters, digits, hyphens, underscores). */
const ecsNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "up to 255 letters, digits, hyphens and underscores (an ECS name)");

/** An environment variable name in a container definition. */
const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

/** Where a container secret comes from: a Secrets Manager or SSM parameter ARN, or an SSM parameter name in the region. */
const secretSourceSchema = z
  .string()
  .regex(/^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:\S+|\/?[A-Za-z0-9_./-]+)$/, "a Secrets Manager or SSM parameter ARN, or an SSM parameter name");

const wholeMinutes = (maxMinutes: number) => (ms: number) => ms % 60_000 === 0 && ms <= maxMinutes * 60_000;

const ecsContainerSchema = z
  .object({
    /** The container's name in the task definition. */
    name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "a container name (letters, digits, hyphens, underscores)"),
    /** Environment variables the new revision sets on this container (others are kept from the live revision). */
    environment: z.record(envNameSchema, z.string()).default({}),
    /** Secret references (name → ARN or parameter name) the new revision sets on this container; values are never read. */
    secrets: z.record(envNameSchema, secretSourceSchema).default({}),
  })
  .strict();

export const ecsStrategySchema = z
  .object({
    /** How long ECS may take to start the new revision and shift test traffic to it (until the pause hook waits). */
    progressDeadline: positiveDurationSchema.prefault("15m"),
    /** ECS's bake time after the production traffic shift (bakeTimeInMinutes: whole minutes, at most 24 h). */
    bakeTime: durationSchema.prefault("5m").refine(wholeMinutes(1440), { message: "ECS bakes in whole minutes (bakeTimeInMinutes): use 0m, 1m, 5m … at most 1440m" }),
    /** How long the pause hook waits for this run's answer before ECS rolls back by itself (whole minutes). */
    hookTimeout: positiveDurationSchema.prefault("30m").refine(wholeMinutes(1440), { message: "ECS times hooks out in whole minutes: use 1m … 1440m" }),
    /** One round of public health checks every interval while ECS bakes. */
    probeInterval: positiveDurationSchema.prefault("10s"),
    /** Share of failed bake rounds above which this run asks ECS to roll back (a high error rate). */
    maxFailureRatio: z.number().min(0).max(1).default(0.2),
    /** Deploy records kept in the parameter store (like Helm's --history-max). */
    historyLimit: z.number().int().min(2).max(1000).default(20),
    /** How long the lock tag on the service lasts without renewal (a run renews it every third of that). */
    lockDuration: positiveDurationSchema.prefault("2m"),
    /** How often the service deployment is described while waiting. */
    pollInterval: positiveDurationSchema.prefault("5s"),
    /** How long one AWS call may keep being retried (throttling, 5xx, a dropped connection) before it counts as unreachable. */
    apiDeadline: positiveDurationSchema.prefault("60s"),
  })
  .strict()
  .refine((s) => s.bakeTime === 0 || s.probeInterval <= s.bakeTime, { message: "probeInterval must not exceed bakeTime", path: ["probeInterval"] });

export const ecsDeploySchema = z
  .object({
    target: z.literal("ecs"),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS region such as eu-west-1"),
    cluster: ecsNameSchema,
    service: ecsNameSchema,
    /** The family the new revisions are registered in (the live revision is the template). */
    taskDefinitionFamily: ecsNameSchema,
    /** Image repositories; a deploy pins each to a digest. */
    images: z.object({ backend: imageRepositorySchema, frontend: imageRepositorySchema }).strict(),
    containers: z.object({ backend: ecsContainerSchema, frontend: ecsContainerSchema }).strict(),
    /** Where the service's test listener answers (test traffic goes to the new revision only): the pre-shift smoke. */
    testListener: z.object({ url: httpUrlSchema }).strict(),
    /** CloudWatch alarms that make ECS roll back by itself while it shifts and bakes. */
    alarms: z.array(z.string().min(1).max(255)).max(10).default([]),
    strategy: ecsStrategySchema.prefault({}),
    /** Where the history records live: SSM Parameter Store, one parameter per revision (default /helloagents/deploy/<env>). */
    history: z
      .object({ parameterPath: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, "an SSM parameter path such as /helloagents/deploy/staging").max(900).optional() })
      .strict()
      .prefault({}),
    /** Refuse to deploy or roll back without --yes (or a confirmation on a terminal). */
    requireConfirmation: z.boolean().default(false),
  })
  .strict()
  .refine((d) => d.containers.backend.name !== d.containers.frontend.name, { message: "the backend and frontend containers need different names", path: ["containers", "frontend", "name"] });

export const kubernetesDeploySchema = z
  .object({
    target: z.literal("kubernetes"),
    namespace: k8sNameSchema,
    /** Image repositories; a deploy pins each to a digest. */
    images: z.object({ backend: imageRepositorySchema, frontend: imageRepositorySchema }).strict(),
    apps: z.object({ backend: appDeploySchema.prefault({}), frontend: appDeploySchema.prefault({}) }).strict().prefault({}),
    /** Added to every pod template (e.g. a service mesh or log routing annotation). */
    podAnnotations: z.record(labelKey, z.string()).default({}),
    podLabels: z.record(labelKey, labelValue).default({}),
    /** The Secret the backend reads its settings from, and the keys it must hold (values are never printed). */
    runtimeSecret: z
      .object({ name: k8sNameSchema, keys: z.array(z.string().regex(/^[-._a-zA-Z0-9]+$/, "a Secret key")).min(1) })
      .strict(),
    /** Where the backend's dependencies are, for the NetworkPolicies (only the backend may reach them). */
    dependencies: z.object({ postgres: dependencySchema.optional(), redis: dependencySchema.optional() }).strict().prefault({}),
    /** Namespace of the ingress controller allowed to reach the frontend; every namespace when unset. */
    ingressNamespace: k8sNameSchema.optional(),
    strategy: strategySchema.prefault({}),
    /** Refuse to deploy or roll back without --yes (or a confirmation on a terminal). */
    requireConfirmation: z.boolean().default(false),
    /** The preview Services, for the pre-switch smoke: a base URL (e.g. a preview ingress), else the API server's service proxy. */
    preview: z.object({ url: httpUrlSchema.optional() }).strict().prefault({}),
  })
  .strict();

export const deploySchema = z.discriminatedUnion("target", [kubernetesDeploySchema, ecsDeploySchema], {
  error: (issue) => (issue.code === "invalid_union" ? 'unknown target: use "kubernetes" or "ecs"' : undefined),
});

export type KubernetesDeploy = z.infer<typeof kubernetesDeploySchema>;
export type EcsDeploy = z.infer<typeof ecsDeploySchema>;
export type EcsStrategy = z.infer<typeof ecsStrategySchema>;
export type DeployConfig = z.infer<typeof deploySchema>;
export type Strategy = z.infer<typeof strategySchema>;
export type AppDeploy = z.infer<typeof appDeploySchema>;
