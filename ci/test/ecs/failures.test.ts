// What stops an ECS deploy, and what is live afterwards. moto serves the service and its task definitions (so "what
// is live" is read from a real endpoint); the service deployments, the pause hook, ECS's own rollback on an alarm,
// throttling and expired credentials are scripted in the shape of the documented API (endpoint.ts). Test names say
// which part is scripted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../support/temp.js";
import { ScriptedEcs } from "./endpoint.js";
import { awsEnv, cli, imageArgs, liveRevision, motoUrl, stackUrl, records, reportOf, seedService, startProxy, writeEcsConfig, type Seeded, type SwitchableProxy } from "./harness.js";

const dir = tempDir("ecs-failures-");
let testListener: SwitchableProxy;
let publicUrl: SwitchableProxy;
let endpoint: ScriptedEcs;
let seeded: Seeded;
let config: string;

beforeAll(async () => {
  [testListener, publicUrl, endpoint] = await Promise.all([startProxy(stackUrl()), startProxy(stackUrl()), new ScriptedEcs(motoUrl()).start()]);
});
afterAll(async () => {
  await Promise.all([testListener?.stop(), publicUrl?.stop(), endpoint?.stop()]);
});
beforeEach(async () => {
  testListener.mode = "pass";
  publicUrl.mode = "pass";
  endpoint.scenario = "blue-green";
  endpoint.faults.length = 0;
  endpoint.calls.length = 0;
  seeded = await seedService("v0.9.0");
  config = writeEcsConfig(dir, { seeded, urls: { public: publicUrl.url, testListener: testListener.url } });
});

const deploy = (version: string, env = awsEnv(endpoint.url)) => cli(["deploy", "--env", "test", "--config", config, "--version", version, ...imageArgs(version), "--json"], env);
const liveImage = async () => (await liveRevision(seeded)).containerDefinitions!.find((c) => c.name === "backend")!.image;
const history = () => records(`/helloagents/deploy/${seeded.cluster}`);

describe("an ECS deploy that fails, and what is live after it", () => {
  it("smoke fails on the test listener: ROLLBACK answered to the pause hook (scripted), the moto service is back on the live revision, exit 1", async () => {
    const before = await liveImage();
    testListener.mode = "fail";
    const run = await deploy("v1.0.0");
    const report = reportOf(run);
    expect(run.code, run.stderr).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^smoke the test listener: fail: .*; ROLLBACK sent before production traffic moved: helloagents-\w+:1 still serves$/);
    expect(endpoint.callsOf("ContinueServiceDeployment").map((c) => c.body.action)).toEqual(["ROLLBACK"]);
    expect(await liveImage()).toBe(before);
    expect(report.live).toMatchObject({ images: { backend: before }, confirmed: true });
    expect(await history()).toMatchObject([{ revision: 1, result: "rejected" }]);
    expect(run.stderr).toMatch(/^hello-ci: deploy test: rejected: smoke the test listener: /m);
  });

  it("hook timeout: the deployment never reaches the pause hook within the progress deadline (scripted: stuck in SCALE_UP), so it is stopped with a rollback, exit 1", async () => {
    endpoint.scenario = "stuck-scaling";
    writeEcsConfig(dir, { seeded, urls: { public: publicUrl.url, testListener: testListener.url } });
    const quick = writeEcsConfig(dir, { seeded, urls: { public: publicUrl.url, testListener: testListener.url }, deploy: { strategy: { progressDeadline: "1s" } } });
    const run = await cli(["deploy", "--env", "test", "--config", quick, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"], awsEnv(endpoint.url));
    const report = reportOf(run);
    expect(run.code, run.stderr).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^wait for test traffic: the pause hook was not reached within the progress deadline \(1s\): IN_PROGRESS at SCALE_UP, new revision \d\/2 running; ROLLBACK sent/);
    expect(endpoint.callsOf("StopServiceDeployment").map((c) => c.body.stopType)).toEqual(["ROLLBACK"]);
    expect(endpoint.callsOf("ContinueServiceDeployment")).toEqual([]);
    expect(report.steps.map((s) => `${s.name} ${s.outcome}`)).toContain("roll back done");
    expect(await liveImage()).toMatch(/@sha256:/);
    expect((await liveRevision(seeded)).revision).toBe(1);
  });

  it("ECS rolls back by itself on a CloudWatch alarm during the bake (scripted): exit 1 with ECS's reason", async () => {
    endpoint.scenario = "alarm-in-bake";
    const run = await deploy("v1.0.0");
    const report = reportOf(run);
    expect(run.code, run.stderr).toBe(1);
    expect(report.result).toBe("rolled-back");
    expect(report.reason).toContain("ECS rolled back: CloudWatch alarm helloagents-staging-5xx is in ALARM state.; Deployment failed: alarm detected");
    expect(endpoint.callsOf("ContinueServiceDeployment").map((c) => c.body.action)).toEqual(["CONTINUE"]);
    expect(endpoint.callsOf("StopServiceDeployment")).toEqual([]);
    expect((await liveRevision(seeded)).revision).toBe(1);
    const [record] = await history();
    expect(record).toMatchObject({ result: "rolled-back" });
    const status = JSON.parse((await cli(["status", "--env", "test", "--config", config, "--json"], awsEnv(endpoint.url))).stdout) as { metrics: { rollbacks: number; changeFailureRate: number } };
    expect(status.metrics).toMatchObject({ rollbacks: 1, changeFailureRate: 1 });
  });

  it("a high error rate on the public URLs while ECS bakes (scripted bake, real stack): this run stops the deployment with a rollback, exit 1", async () => {
    endpoint.bakeDescribes = 20;
    publicUrl.mode = "fail";
    try {
      const run = await deploy("v1.0.0");
      const report = reportOf(run);
      expect(run.code, run.stderr).toBe(1);
      expect(report.result).toBe("rolled-back");
      expect(report.reason).toMatch(/^production traffic and bake: high error rate: 1 of 1 health rounds failed .*; ECS rolled back on this run's request/);
      expect(endpoint.callsOf("StopServiceDeployment").map((c) => c.body.stopType)).toEqual(["ROLLBACK"]);
      expect((await liveRevision(seeded)).revision).toBe(1);
    } finally {
      endpoint.bakeDescribes = 6;
    }
  });

  it("ECS refuses the update (scripted InvalidParameterException, e.g. no blue/green load balancer set-up): exit 1, the service untouched", async () => {
    endpoint.faults.push({ op: "UpdateService", times: 1, status: 400, type: "InvalidParameterException", message: "The service does not have the advanced load balancer configuration BLUE_GREEN needs." });
    const run = await deploy("v1.0.0");
    const report = reportOf(run);
    expect(run.code, run.stderr).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^update the service \(ecs:UpdateService\): InvalidParameterException: The service does not have .*; nothing was changed: helloagents-\w+:1 still serves$/);
    expect(endpoint.callsOf("ListServiceDeployments").length).toBe(1); // the lock's check only: no deployment was looked for
    expect((await liveRevision(seeded)).revision).toBe(1);
  });

  it("throttling then success: ThrottlingException (scripted) on several calls is retried with backoff inside the deadline, exit 0", async () => {
    endpoint.faults.push(
      { op: "DescribeServices", times: 2, status: 400, type: "ThrottlingException", message: "Rate exceeded" },
      { op: "RegisterTaskDefinition", times: 1, status: 400, type: "ThrottlingException", message: "Rate exceeded" },
      { op: "DescribeServiceDeployments", times: 2, status: 500, type: "ServerException", message: "Service unavailable" },
    );
    const run = await deploy("v1.0.0");
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/deploy test: {3}AWS describe the service \(ecs:DescribeServices\): ThrottlingException: Rate exceeded; retry 1 in \d+ ms/);
    expect(run.stderr).toMatch(/AWS register the task definition \(ecs:RegisterTaskDefinition\): ThrottlingException: Rate exceeded; retry 1 in/);
    expect(endpoint.callsOf("RegisterTaskDefinition")).toHaveLength(2);
    expect(endpoint.faults.every((f) => f.times === 0)).toBe(true);
  });

  it("throttling that outlasts the API deadline (scripted) is exit 3 before anything changed", async () => {
    endpoint.faults.push({ op: "DescribeServices", times: 1000, status: 400, type: "ThrottlingException", message: "Rate exceeded" });
    const quick = writeEcsConfig(dir, { seeded, urls: { public: publicUrl.url, testListener: testListener.url }, deploy: { strategy: { apiDeadline: "1s" } } });
    const run = await cli(["deploy", "--env", "test", "--config", quick, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"], awsEnv(endpoint.url));
    expect(run.code, run.stderr).toBe(3);
    expect(reportOf(run).reason).toMatch(/^AWS describe the service \(ecs:DescribeServices\): no answer within 1s \(\d+ attempt\(s\); last: ThrottlingException: Rate exceeded\)/);
    expect(endpoint.callsOf("RegisterTaskDefinition")).toEqual([]);
  });

  it("missing credentials: exit 3 naming the credential chain, and no request reaches AWS", async () => {
    const env = awsEnv(endpoint.url);
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const run = await deploy("v1.0.0", env);
    expect(run.code, run.stderr).toBe(3);
    expect(reportOf(run).result).toBe("unreachable");
    expect(run.stderr).toMatch(/^hello-ci: deploy test: unreachable: AWS describe the service \(ecs:DescribeServices\): no credentials \(CredentialsProviderError: .*\): no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY .*web identity|AWS_WEB_IDENTITY_TOKEN_FILE/m);
    expect(endpoint.calls).toEqual([]);
  });

  it("expired credentials (scripted ExpiredTokenException): exit 3 saying so, nothing registered", async () => {
    endpoint.faults.push({ op: "*", times: 1000, status: 400, type: "ExpiredTokenException", message: "The security token included in the request is expired" });
    const run = await deploy("v1.0.0", awsEnv(endpoint.url, { AWS_SESSION_TOKEN: "expired-session-token" }));
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^hello-ci: deploy test: unreachable: AWS describe the service \(ecs:DescribeServices\): credentials refused \(ExpiredTokenException: The security token included in the request is expired\): the AWS credentials have expired/m);
    expect(run.stderr).not.toContain("expired-session-token");
    expect(run.stdout).not.toContain("wJalrXUtnFEMI");
    expect(endpoint.callsOf("RegisterTaskDefinition")).toEqual([]);
  });

  it("a service deployment already in progress (scripted): exit 3 naming it; nothing registered, no record", async () => {
    const arn = endpoint.seedInProgress(seeded.cluster, seeded.service);
    const run = await deploy("v1.0.0");
    expect(run.code, run.stderr).toBe(3);
    expect(reportOf(run).reason).toMatch(new RegExp(`^test: ECS service deployment ${arn} is IN_PROGRESS at (PRE_)?SCALE_UP since \\S+; wait for it to finish \\(hello-ci status --env test\\)$`));
    expect(endpoint.callsOf("RegisterTaskDefinition")).toEqual([]);
    expect(endpoint.callsOf("UpdateService")).toEqual([]);
    expect(await history()).toEqual([]);
  });

  it("the lock tag of another run on the service (moto tags): exit 3 naming the holder", async () => {
    const { motoEcs } = await import("./harness.js");
    const { TagResourceCommand } = await import("@aws-sdk/client-ecs");
    const ecs = motoEcs();
    const until = new Date(Date.now() + 60_000).toISOString();
    await ecs.send(new TagResourceCommand({ resourceArn: `arn:aws:ecs:eu-west-1:123456789012:service/${seeded.cluster}/${seeded.service}`, tags: [{ key: "helloagents:deploy-lock", value: `octocat@runner-7:42:abc123 until ${until}` }] }));
    ecs.destroy();
    const run = await deploy("v1.0.0");
    expect(run.code, run.stderr).toBe(3);
    expect(reportOf(run).reason).toBe(`test is being changed by octocat@runner-7:42:abc123; its lock expires at ${until} unless renewed`);
    expect(endpoint.callsOf("UpdateService")).toEqual([]);
  });

  it("a run that died is settled by the next one from what ECS made of its deployment (moto SSM record; scripted finished deployment)", async () => {
    const { motoSsm } = await import("./harness.js");
    const { PutParameterCommand } = await import("@aws-sdk/client-ssm");
    const arn = endpoint.seedFinished(seeded.cluster, seeded.service, "ROLLBACK_SUCCESSFUL");
    const dead = { schema: "helloagents/deploy-record@1", revision: 1, kind: "deploy", env: "test", version: "v0.9.5", images: { backend: "b", frontend: "f" }, actor: "octocat", startedAt: "2026-01-31T12:00:00Z", result: "running", reason: "running", serviceDeployment: arn };
    const ssm = motoSsm();
    await ssm.send(new PutParameterCommand({ Name: `/helloagents/deploy/${seeded.cluster}/r000001`, Value: JSON.stringify(dead), Type: "String" }));
    ssm.destroy();
    const run = await deploy("v1.0.0");
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report.steps.find((s) => s.name === "settle dead runs")?.detail).toBe("a run died before finishing: revision 1 rejected (what ECS made of its deployment)");
    expect(await history()).toMatchObject([{ revision: 1, result: "rejected" }, { revision: 2, result: "deployed" }]);
  });
});
