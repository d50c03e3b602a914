// The same environment on either target: a test config written exactly as the Kubernetes deploy tests write it, with
// only its deploy: section switched to ECS, deploys and reports the same way; `status` has the same schema, history
// table and numbers; health-check notes that there is no workload check. Bad input is refused before any AWS call.
// moto serves the service and SSM; the service deployments are scripted (endpoint.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { renderHistory } from "../../src/core/deploy/report.js";
import { tempDir } from "../support/temp.js";
import { writeConfig } from "../deploy/harness.js";
import { ScriptedEcs } from "./endpoint.js";
import { awsEnv, cli, ecsDeploySection, imageArgs, motoUrl, stackUrl, reportOf, seedService, startProxy, type Seeded, type SwitchableProxy } from "./harness.js";

const dir = tempDir("ecs-switch-");
let proxy: SwitchableProxy;
let endpoint: ScriptedEcs;
let seeded: Seeded;
let kubernetesFile: string;
let ecsFile: string;

type Doc = { version: number; environments: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  [proxy, endpoint] = await Promise.all([startProxy(stackUrl()), new ScriptedEcs(motoUrl()).start()]);
  seeded = await seedService("v0.9.0");
  kubernetesFile = writeConfig(dir, { namespace: "helloagents-test", urls: { public: proxy.url, preview: proxy.url } });
  const doc = parse(readFileSync(kubernetesFile, "utf8")) as Doc;
  doc.environments.test!.deploy = ecsDeploySection({ seeded, urls: { public: proxy.url, testListener: proxy.url } });
  ecsFile = join(dir, "environments-ecs.yaml");
  writeFileSync(ecsFile, stringify(doc));
});
afterAll(async () => {
  await Promise.all([proxy?.stop(), endpoint?.stop()]);
});

const env = () => awsEnv(endpoint.url);

describe("one environment switched from kubernetes to ecs with no other change (moto service and SSM; scripted service deployments)", () => {
  it("the two configurations differ only in the environment's deploy: section", () => {
    const k8s = parse(readFileSync(kubernetesFile, "utf8")) as Doc;
    const ecs = parse(readFileSync(ecsFile, "utf8")) as Doc;
    expect((k8s.environments.test!.deploy as { target: string }).target).toBe("kubernetes");
    expect((ecs.environments.test!.deploy as { target: string }).target).toBe("ecs");
    const without = (d: Doc) => ({ ...d, environments: { test: { ...d.environments.test, deploy: undefined } } });
    expect(without(ecs)).toEqual(without(k8s));
  });

  it("deploy and status work on it, and status reads the same: deploy-status schema, history table and numbers as on Kubernetes", async () => {
    const run = await cli(["deploy", "--env", "test", "--config", ecsFile, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json", "--report", join(dir, "report.md"), "--backup", join(dir, "backup.json")], env());
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/^# Deploy of v1\.0\.0 to test: deployed\n/);
    // the backup is what was live before: the service's settings and its (immutable) task-definition revision
    const backup = JSON.parse(readFileSync(join(dir, "backup.json"), "utf8")) as { service: { taskDefinition: string }; taskDefinition: { revision: number; containerDefinitions: Array<{ name: string }> } };
    expect(backup.service.taskDefinition).toBe(seeded.taskDefinition.taskDefinitionArn);
    expect(backup.taskDefinition.containerDefinitions.map((c) => c.name)).toEqual(["backend", "frontend", "log-router"]);
    const json = await cli(["status", "--env", "test", "--config", ecsFile, "--json"], env());
    expect(json.code, json.stderr).toBe(0);
    const view = JSON.parse(json.stdout) as Parameters<typeof renderHistory>[0] & Record<string, unknown>;
    // the keys a Kubernetes status has (namespace aside, which ECS has as service), with the same meaning
    for (const key of ["schema", "env", "live", "liveRevision", "liveSince", "history", "metrics", "warnings"]) expect(view, key).toHaveProperty(key);
    expect(view).toMatchObject({ schema: "helloagents/deploy-status@1", env: "test", liveRevision: 1, target: "ecs" });
    expect(view.metrics).toMatchObject({ deploys: 1, succeeded: 1, successRate: 1, rollbacks: 0 });
    const text = await cli(["status", "--env", "test", "--config", ecsFile], env());
    // the history section is the Kubernetes one, line for line, rendered by the same function from the same records
    expect(text.stdout.trimEnd().endsWith(renderHistory(view).join("\n").trimEnd())).toBe(true);
    expect(text.stdout).toContain("| revision | kind | version | colour | result | started | duration | reason |");
    expect(text.stdout).toContain("Deploys: 1, succeeded 1 (success rate 100 %); rollbacks 0 (0 % of deploys)");
  });

  it("health-check --env runs the same checks and says in one line that ECS has no Kubernetes workload check", async () => {
    const run = await cli(["health-check", "--env", "test", "--config", ecsFile, "--json"], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { verdict: string; checks: Array<{ name: string }>; workloads: { checked: boolean; reason: string } };
    expect(report.checks.map((c) => c.name)).toEqual(["backend-liveness", "backend-database", "frontend"]);
    expect(report.workloads).toEqual({ checked: false, reason: expect.stringMatching(/^ECS environment \(service helloagents in cluster helloagents-\w+\): the Kubernetes workload check does not apply/) as unknown });
    const text = await cli(["health-check", "--env", "test", "--config", ecsFile], env());
    expect(text.stdout).toMatch(/workloads not checked: ECS environment/);
  });
});

describe("bad input on an ECS environment: exit 2 before any AWS call", () => {
  const refused: Array<[string, () => string[], RegExp]> = [
    ["a kubeconfig", () => ["deploy", "--env", "test", "--config", ecsFile, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--kubeconfig", "/tmp/k"], /^hello-ci: deploy: --kubeconfig: environment "test" deploys to ECS: there is no kubeconfig to use/],
    ["--secret-from-env", () => ["deploy", "--env", "test", "--config", ecsFile, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--secret-from-env", "A=B"], /^hello-ci: deploy: --secret-from-env: environment "test" deploys to ECS: secrets are references in the task definition, never values/],
    ["an image by tag", () => ["deploy", "--env", "test", "--config", ecsFile, "--version", "v1.0.0", "--backend-image", "ghcr.io/helloagents/helloagents-backend:1.0.0", "--frontend-image", "x"], /^hello-ci: deploy: --backend-image: .* is not pinned by digest/],
    ["render (Kubernetes only)", () => ["render", "--env", "test", "--config", ecsFile, "--version", "v1.0.0"], /^hello-ci: render: --env: environment "test" deploys to ECS \(target: ecs\): render works on Kubernetes environments only/],
    ["status with --server", () => ["status", "--env", "test", "--config", ecsFile, "--server", "https://127.0.0.1:6443"], /^hello-ci: status: --server: environment "test" deploys to ECS/],
  ];
  it.each(refused)("%s", async (_name, args, message) => {
    endpoint.calls.length = 0;
    const run = await cli(args(), env());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(endpoint.calls).toEqual([]);
  });

  it("a bake time that is not whole minutes, and an unknown key, are configuration errors naming the field", async () => {
    const doc = parse(readFileSync(ecsFile, "utf8")) as Doc;
    const deploy = doc.environments.test!.deploy as Record<string, unknown>;
    deploy.strategy = { ...(deploy.strategy as object), bakeTime: "90s" };
    deploy.namespace = "helloagents";
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, stringify(doc));
    const run = await cli(["status", "--env", "test", "--config", bad], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("environments.test.deploy.strategy.bakeTime: ECS bakes in whole minutes");
    expect(run.stderr).toMatch(/namespace/);
  });

  it("a service that does not exist (moto): exit 2 naming it, with what to create", async () => {
    const doc = parse(readFileSync(ecsFile, "utf8")) as Doc;
    (doc.environments.test!.deploy as Record<string, unknown>).service = "nope";
    const missing = join(dir, "missing.yaml");
    writeFileSync(missing, stringify(doc));
    const run = await cli(["deploy", "--env", "test", "--config", missing, "--version", "v1.0.0", ...imageArgs("v1.0.0")], env());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^hello-ci: test: ECS service nope in cluster helloagents-\w+ \(eu-west-1\): MISSING/m);
    const status = await cli(["status", "--env", "test", "--config", missing], env());
    expect(status.code).toBe(2);
  });

  it("container names the service's task definition does not have (moto): exit 2 naming what it has, nothing registered, the lock released", async () => {
    const doc = parse(readFileSync(ecsFile, "utf8")) as Doc;
    (doc.environments.test!.deploy as { containers: Record<string, { name: string }> }).containers.backend = { name: "api" };
    const wrong = join(dir, "wrong-container.yaml");
    writeFileSync(wrong, stringify(doc));
    endpoint.calls.length = 0;
    const run = await cli(["deploy", "--env", "test", "--config", wrong, "--version", "v1.0.0", ...imageArgs("v1.0.0")], env());
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^hello-ci: test: helloagents-\w+:\d+ has no container named "api" \(the backend\); it has backend, frontend, log-router/m);
    expect(endpoint.callsOf("RegisterTaskDefinition")).toEqual([]);
    expect(endpoint.callsOf("UntagResource")).toHaveLength(1);
  });

  it("production-like environments need --yes (requireConfirmation), as on Kubernetes", async () => {
    const doc = parse(readFileSync(ecsFile, "utf8")) as Doc;
    (doc.environments.test!.deploy as Record<string, unknown>).requireConfirmation = true;
    const prod = join(dir, "prod.yaml");
    writeFileSync(prod, stringify(doc));
    endpoint.calls.length = 0;
    const run = await cli(["rollback", "--env", "test", "--config", prod], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/test requires confirmation: add --yes/);
    expect(endpoint.calls).toEqual([]);
  });
});
