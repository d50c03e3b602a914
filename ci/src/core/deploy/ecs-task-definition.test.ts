import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { ecsDeploySchema } from "../../schemas/deploy.js";
import { diff, imagesOf, nextRevision, unexpectedDifferences } from "./ecs-task-definition.js";

const config = (patch: Record<string, unknown> = {}) =>
  ecsDeploySchema.parse({
    target: "ecs",
    region: "eu-west-1",
    cluster: "c",
    service: "s",
    taskDefinitionFamily: "helloagents",
    images: { backend: "ghcr.io/a/backend", frontend: "ghcr.io/a/frontend" },
    containers: { backend: { name: "api" }, frontend: { name: "web" } },
    testListener: { url: "https://test.example" },
    ...patch,
  });

const LIVE: TaskDefinition = {
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:1:task-definition/helloagents:6",
  family: "helloagents",
  revision: 6,
  status: "ACTIVE",
  registeredAt: new Date("2026-01-01T00:00:00Z"),
  requiresAttributes: [{ name: "ecs.capability.secrets.ssm.environment-variables" }],
  compatibilities: ["EC2", "FARGATE"],
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "512",
  memory: "1024",
  executionRoleArn: "arn:aws:iam::1:role/exec",
  containerDefinitions: [
    { name: "api", image: "ghcr.io/a/backend@sha256:old", environment: [{ name: "LOG_LEVEL", value: "info" }], secrets: [{ name: "DATABASE_URL", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/db" }], portMappings: [{ containerPort: 8000 }] },
    { name: "web", image: "ghcr.io/a/frontend@sha256:old" },
    { name: "sidecar", image: "fluent-bit:2" },
  ],
};
const IMAGES = { backend: "ghcr.io/a/backend@sha256:new", frontend: "ghcr.io/a/frontend@sha256:new" };
const input = { env: "staging", version: "v1.2.3", images: IMAGES, revision: 7 };

describe("ecs: the next task-definition revision", () => {
  it("is the live one with the two images replaced, ECS's own fields dropped, and tags saying env, version and revision", () => {
    const next = nextRevision(LIVE, config(), input);
    expect(next).not.toHaveProperty("taskDefinitionArn");
    expect(next).not.toHaveProperty("revision");
    expect(next).not.toHaveProperty("requiresAttributes");
    expect(next).not.toHaveProperty("compatibilities");
    expect(next).toMatchObject({ family: "helloagents", cpu: "512", memory: "1024", networkMode: "awsvpc", executionRoleArn: "arn:aws:iam::1:role/exec" });
    expect(next.containerDefinitions!.map((c) => c.image)).toEqual([IMAGES.backend, IMAGES.frontend, "fluent-bit:2"]);
    expect(next.tags).toEqual([{ key: "helloagents:env", value: "staging" }, { key: "helloagents:version", value: "v1.2.3" }, { key: "helloagents:revision", value: "7" }]);
    expect(diff(LIVE, next)).toEqual(["containers.api.image", "containers.web.image"]);
    expect(unexpectedDifferences(LIVE, next, config())).toEqual([]);
  });

  it("sets the environment variables and secret references the configuration names, keeping the others", () => {
    const c = config({ containers: { backend: { name: "api", environment: { LOG_LEVEL: "debug", FEATURE: "on" }, secrets: { OPENAI_API_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openai" } }, frontend: { name: "web" } } });
    const next = nextRevision(LIVE, c, input);
    const api = next.containerDefinitions!.find((x) => x.name === "api")!;
    expect(api.environment).toEqual([{ name: "FEATURE", value: "on" }, { name: "LOG_LEVEL", value: "debug" }]);
    expect(api.secrets).toEqual([{ name: "DATABASE_URL", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/db" }, { name: "OPENAI_API_KEY", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openai" }]);
    expect(diff(LIVE, next)).toEqual(["containers.api.environment.FEATURE", "containers.api.environment.LOG_LEVEL", "containers.api.image", "containers.api.secrets.OPENAI_API_KEY", "containers.web.image"]);
    expect(unexpectedDifferences(LIVE, next, c)).toEqual([]);
  });

  it("refuses a live revision without a configured container, naming what it has", () => {
    expect(() => nextRevision(LIVE, config({ containers: { backend: { name: "backend" }, frontend: { name: "web" } } }), input)).toThrow(
      'the live task definition arn:aws:ecs:eu-west-1:1:task-definition/helloagents:6 has no container named "backend" (the backend); it has api, web, sidecar',
    );
  });

  it.each([
    ["a changed memory", { ...LIVE, memory: "2048" }, ["memory"]],
    ["a changed port of a named container", { ...LIVE, containerDefinitions: [{ ...LIVE.containerDefinitions![0]!, portMappings: [{ containerPort: 9000 }] }, ...LIVE.containerDefinitions!.slice(1)] }, ["containers.api.portMappings"]],
    ["a sidecar's image", { ...LIVE, containerDefinitions: [...LIVE.containerDefinitions!.slice(0, 2), { name: "sidecar", image: "fluent-bit:3" }] }, ["containers.sidecar.image"]],
    ["a container gone", { ...LIVE, containerDefinitions: LIVE.containerDefinitions!.slice(0, 2) }, ["containers.sidecar"]],
    ["an environment value not in the configuration", { ...LIVE, containerDefinitions: [{ ...LIVE.containerDefinitions![0]!, environment: [{ name: "LOG_LEVEL", value: "debug" }] }, ...LIVE.containerDefinitions!.slice(1)] }, ["containers.api.environment.LOG_LEVEL"]],
    ["containers in another order: no difference", { ...LIVE, containerDefinitions: [...LIVE.containerDefinitions!].reverse() }, []],
  ] as const)("an unexpected difference is named: %s", (_name, other, expected) => {
    expect(unexpectedDifferences(LIVE, other as TaskDefinition, config())).toEqual(expected);
  });

  it("reads the images of the two named containers", () => {
    expect(imagesOf(LIVE, config())).toEqual({ backend: "ghcr.io/a/backend@sha256:old", frontend: "ghcr.io/a/frontend@sha256:old" });
    expect(imagesOf(undefined, config())).toEqual({});
  });
});
