import { describe, expect, it } from "vitest";
import { ecsDeploySchema } from "../schemas/deploy.js";
import { RECORD_SCHEMA, type DeployRecord } from "../schemas/deploy-record.js";
import { historyPath, recordName, recordValue } from "./history.js";

const record = (reason: string): DeployRecord => ({
  schema: RECORD_SCHEMA,
  revision: 7,
  kind: "deploy",
  env: "staging",
  version: "v1.2.3",
  images: { backend: `ghcr.io/a/backend@sha256:${"a".repeat(64)}`, frontend: `ghcr.io/a/frontend@sha256:${"b".repeat(64)}` },
  actor: "octocat",
  taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/helloagents:12",
  startedAt: "2026-01-31T12:00:00Z",
  result: "rejected",
  reason,
});
const config = (path?: string) =>
  ecsDeploySchema.parse({
    target: "ecs", region: "eu-west-1", cluster: "c", service: "s", taskDefinitionFamily: "f",
    images: { backend: "ghcr.io/a/backend", frontend: "ghcr.io/a/frontend" }, containers: { backend: { name: "b" }, frontend: { name: "f" } },
    testListener: { url: "https://t.example" }, ...(path ? { history: { parameterPath: path } } : {}),
  });

describe("ecs: history records in SSM Parameter Store", () => {
  it("live under /helloagents/deploy/<env> unless the configuration names a path, one zero-padded parameter per revision", () => {
    expect(historyPath(config(), "staging")).toBe("/helloagents/deploy/staging");
    expect(historyPath(config("/acme/deploys/stg"), "staging")).toBe("/acme/deploys/stg");
    expect(recordName("/helloagents/deploy/staging", 7)).toBe("/helloagents/deploy/staging/r000007");
  });

  it.each([
    ["a usual record is pretty JSON", "smoke failed", (v: string) => v.startsWith("{\n")],
    ["a long one is compact JSON", "x".repeat(3650), (v: string) => !v.includes("\n")],
    ["a very long reason is shortened to fit 4 KB", "y".repeat(6000), (v: string) => v.includes("… (shortened)")],
  ])("%s, never above 4 KB, and parses back", (_name, reason, shape) => {
    const value = recordValue(record(reason));
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(4096);
    expect(shape(value)).toBe(true);
    expect(JSON.parse(value)).toMatchObject({ revision: 7, taskDefinition: record("").taskDefinition });
  });
});
