/**
 * Shared pieces of the ECS tests: moto's URL (from moto-setup.ts), a cluster, task definition and service seeded in
 * moto for each test (with the real SDK over HTTP), an environments file whose `test` environment deploys there with
 * short timings, the credentials and endpoint the CLI gets, and hello-ci itself. Images by digest come from the
 * Kubernetes harness, and the test listener and public URLs point at switchable proxies in front of the real platform
 * stack (PostgreSQL, Redis, backend, nginx), as in the Kubernetes deploy tests.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, type TaskDefinition } from "@aws-sdk/client-ecs";
import { GetParametersByPathCommand, SSMClient } from "@aws-sdk/client-ssm";
import { inject } from "vitest";
import { stringify } from "yaml";
import { runCli, type CliResult } from "../support/cli.js";
import { digestRef } from "../deploy/harness.js";
import { environmentBody } from "../support/test-environment.js";

export { digestRef, reportOf, startProxy, startWebhook, type SwitchableProxy } from "../deploy/harness.js";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const motoUrl = (): string => inject("motoUrl");
/** The platform stack started once for the run (moto-setup.ts): nginx in front of the backend. */
export const stackUrl = (): string => inject("stackUrl");

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

/** Clients straight to moto (the tests' own view of "AWS"). */
export function motoEcs(): ECSClient {
  return new ECSClient({ region: REGION, endpoint: motoUrl(), credentials, maxAttempts: 1 });
}
export function motoSsm(): SSMClient {
  return new SSMClient({ region: REGION, endpoint: motoUrl(), credentials, maxAttempts: 1 });
}

export interface Seeded {
  cluster: string;
  service: string;
  family: string;
  /** The revision the service runs at the start. */
  taskDefinition: TaskDefinition;
}

/** The live revision of a fresh service: backend, frontend and a log router sidecar, as a real Fargate service has. */
function firstRevision(family: string, version: string) {
  return {
    family,
    networkMode: "awsvpc" as const,
    requiresCompatibilities: ["FARGATE" as const],
    cpu: "512",
    memory: "1024",
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/helloagents-execution`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/helloagents-task`,
    containerDefinitions: [
      {
        name: "backend",
        image: digestRef("backend", version),
        essential: true,
        portMappings: [{ containerPort: 8000, protocol: "tcp" as const }],
        environment: [{ name: "ENVIRONMENT", value: "staging" }, { name: "LOG_LEVEL", value: "info" }],
        secrets: [{ name: "DATABASE_URL", valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/helloagents/staging/DATABASE_URL` }],
        healthCheck: { command: ["CMD-SHELL", "python -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:8000/health\")'"], interval: 10, retries: 3 },
        logConfiguration: { logDriver: "awslogs" as const, options: { "awslogs-group": "/helloagents/staging", "awslogs-region": REGION, "awslogs-stream-prefix": "backend" } },
      },
      { name: "frontend", image: digestRef("frontend", version), essential: true, portMappings: [{ containerPort: 8080, protocol: "tcp" as const }], environment: [{ name: "BACKEND_UPSTREAM", value: "127.0.0.1:8000" }] },
      { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2", essential: false, memoryReservation: 50 },
    ],
  };
}

/** A cluster, a task-definition family and a service running `version` in moto; names unique per test. */
export async function seedService(version = "v0.9.0"): Promise<Seeded> {
  const id = randomBytes(3).toString("hex");
  const cluster = `helloagents-${id}`;
  const service = "helloagents";
  const family = `helloagents-${id}`;
  const ecs = motoEcs();
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(firstRevision(family, version)));
    await ecs.send(
      new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: taskDefinition!.taskDefinitionArn!, desiredCount: 2, deploymentController: { type: "ECS" }, launchType: "FARGATE" }),
    );
    return { cluster, service, family, taskDefinition: taskDefinition! };
  } finally {
    ecs.destroy();
  }
}

/** What the moto service runs now, described. */
export async function liveRevision(seeded: Pick<Seeded, "cluster" | "service">): Promise<TaskDefinition> {
  const ecs = motoEcs();
  try {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: seeded.cluster, services: [seeded.service] }));
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: services![0]!.taskDefinition! }));
    return taskDefinition!;
  } finally {
    ecs.destroy();
  }
}

/** The history records in SSM (what `status` reads), by revision. */
export async function records(path: string): Promise<Array<{ revision: number; result: string; version: string; taskDefinition?: string }>> {
  const ssm = motoSsm();
  try {
    const { Parameters } = await ssm.send(new GetParametersByPathCommand({ Path: path }));
    return (Parameters ?? []).map((p) => JSON.parse(p.Value!) as { revision: number; result: string; version: string }).sort((a, b) => a.revision - b.revision);
  } finally {
    ssm.destroy();
  }
}

export interface EcsTestEnvironment {
  seeded: Seeded;
  urls: { public: string; testListener: string };
  /** Extra keys of the deploy section (strategy is merged). */
  deploy?: Record<string, unknown>;
}

const STRATEGY = {
  progressDeadline: "10s",
  bakeTime: "0m",
  hookTimeout: "5m",
  probeInterval: "100ms",
  maxFailureRatio: 0.25,
  historyLimit: 10,
  lockDuration: "30s",
  pollInterval: "50ms",
  apiDeadline: "5s",
};

export function ecsDeploySection(env: EcsTestEnvironment): Record<string, unknown> {
  const extra = env.deploy ?? {};
  return {
    target: "ecs",
    region: REGION,
    cluster: env.seeded.cluster,
    service: env.seeded.service,
    taskDefinitionFamily: env.seeded.family,
    images: { backend: "ghcr.io/helloagents/helloagents-backend", frontend: "ghcr.io/helloagents/helloagents-frontend" },
    containers: { backend: { name: "backend" }, frontend: { name: "frontend" } },
    testListener: { url: env.urls.testListener },
    history: { parameterPath: `/helloagents/deploy/${env.seeded.cluster}` },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "strategy")),
    strategy: { ...STRATEGY, ...(extra.strategy as object | undefined) },
  };
}

/** Write an environments file whose `test` environment deploys to the seeded service. */
export function writeEcsConfig(dir: string, env: EcsTestEnvironment): string {
  const config = { version: 1, environments: { test: { ...environmentBody(env.urls.public), deploy: ecsDeploySection(env) } } };
  const file = join(dir, `environments-${randomBytes(3).toString("hex")}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

/** What the CLI gets: static test credentials, the endpoint, no instance metadata, no shared files. */
export function awsEnv(endpoint: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL: endpoint,
    // Never the instance metadata address: the tests' traffic stays on loopback.
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    ...extra,
  };
}

export function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runCli(args, { env, timeoutMs: 60_000 });
}

export function imageArgs(version: string): string[] {
  return ["--backend-image", digestRef("backend", version), "--frontend-image", digestRef("frontend", version)];
}
