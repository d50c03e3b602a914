// Deploy, rollback and status on ECS. moto (server mode, real HTTP from the real SDK) serves the task definitions, the
// service, its tags and the SSM history; endpoint.ts scripts the service deployments, the PAUSE hook and
// ContinueServiceDeployment in the documented API's shape. The test listener and the public URLs are proxies in front
// of the real platform stack on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/temp.js";
import { ScriptedEcs } from "./endpoint.js";
import { awsEnv, cli, digestRef, imageArgs, liveRevision, motoUrl, stackUrl, records, reportOf, seedService, startProxy, startWebhook, writeEcsConfig, type Seeded, type SwitchableProxy } from "./harness.js";

const dir = tempDir("ecs-deploy-");
let testListener: SwitchableProxy;
let publicUrl: SwitchableProxy;
let endpoint: ScriptedEcs;

beforeAll(async () => {
  [testListener, publicUrl, endpoint] = await Promise.all([startProxy(stackUrl()), startProxy(stackUrl()), new ScriptedEcs(motoUrl()).start()]);
});
afterAll(async () => {
  await Promise.all([testListener?.stop(), publicUrl?.stop(), endpoint?.stop()]);
});

describe("deploy, rollback and status on ECS (moto: task definitions, service, tags, SSM history; scripted: service deployments, pause hook, ContinueServiceDeployment)", () => {
  let seeded: Seeded;
  let config: string;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  const env = () => awsEnv(endpoint.url, { HELLO_CI_WEBHOOK_URL: webhook.url });
  const deploy = (version: string) => cli(["deploy", "--env", "test", "--config", config, "--version", version, ...imageArgs(version), "--json"], env());

  beforeAll(async () => {
    seeded = await seedService("v0.9.0");
    config = writeEcsConfig(dir, { seeded, urls: { public: publicUrl.url, testListener: testListener.url }, deploy: { alarms: ["helloagents-staging-5xx"] } });
    webhook = await startWebhook();
  });
  afterAll(async () => webhook?.stop());

  it("first deploy registers a revision that differs from the live one only in the image digests, pauses at POST_TEST_TRAFFIC_SHIFT, smokes the test listener, answers CONTINUE and records revision 1", async () => {
    endpoint.calls.length = 0;
    testListener.seen.length = 0;
    const run = await deploy("v1.0.0");
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(run.code).toBe(0);
    expect(report.steps.map((s) => s.name)).toEqual([
      "lock", "read live state", "backup and record", "register task definition", "update service", "wait for test traffic", "smoke the test listener", "continue", "production traffic and bake",
    ]);
    expect(report).toMatchObject({ revision: 1, live: { version: "v1.0.0", revision: 1, confirmed: true, images: { backend: digestRef("backend", "v1.0.0"), frontend: digestRef("frontend", "v1.0.0") } } });

    // moto: the service runs the new revision, identical to the seeded one but for the two images
    const live = await liveRevision(seeded);
    expect(live.revision).toBe(2);
    const strip = (td: typeof live) => ({ ...td, taskDefinitionArn: undefined, revision: undefined, registeredAt: undefined, containerDefinitions: td.containerDefinitions!.map((c) => ({ ...c, image: undefined })) });
    expect(strip(live)).toEqual(strip(seeded.taskDefinition));
    expect(live.containerDefinitions!.map((c) => `${c.name}=${c.image}`)).toEqual([
      `backend=${digestRef("backend", "v1.0.0")}`, `frontend=${digestRef("frontend", "v1.0.0")}`, "log-router=public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2",
    ]);

    // the update asked ECS for blue/green with the bake time, the pause hook and the alarms
    const update = endpoint.callsOf("UpdateService")[0]!.body as { taskDefinition: string; deploymentConfiguration: Record<string, unknown> };
    expect(update.taskDefinition).toBe(live.taskDefinitionArn);
    expect(update.deploymentConfiguration).toMatchObject({
      strategy: "BLUE_GREEN",
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"], timeoutConfiguration: { timeoutInMinutes: 5, action: "ROLLBACK" } }],
      alarms: { alarmNames: ["helloagents-staging-5xx"], enable: true, rollback: true },
    });
    // the hook was answered once, CONTINUE, after the smoke reached the test listener
    expect(endpoint.callsOf("ContinueServiceDeployment").map((c) => c.body.action)).toEqual(["CONTINUE"]);
    expect(testListener.seen.length).toBeGreaterThan(0);
    // the lock tag is gone, and the history is in SSM
    expect(await records(`/helloagents/deploy/${seeded.cluster}`)).toMatchObject([{ revision: 1, result: "deployed", version: "v1.0.0", taskDefinition: live.taskDefinitionArn }]);
    expect(endpoint.callsOf("UntagResource").length).toBe(1);
    expect(run.stderr).toMatch(/^deploy test: \[1\] lock: ok: held by .*no service deployment in progress/m);
    expect(run.stderr).toMatch(/deploy test: \[4\] register task definition: ok: helloagents-\w+:2 registered; differs from helloagents-\w+:1 only in containers\.backend\.image, containers\.frontend\.image/);
  });

  it("a second deploy records revision 2; status shows the live version, revision and history in the deploy-status schema", async () => {
    const run = await deploy("v1.1.0");
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    const status = await cli(["status", "--env", "test", "--config", config, "--json"], env());
    expect(status.code, status.stderr).toBe(0);
    const view = JSON.parse(status.stdout) as { schema: string; target: string; live: { version: string; taskDefinition: string; tasks: { desired: number } }; liveRevision: number; history: Array<{ revision: number; version: string; result: string }>; metrics: { deploys: number; successRate: number } };
    expect(view).toMatchObject({ schema: "helloagents/deploy-status@1", target: "ecs", liveRevision: 2, live: { version: "v1.1.0", tasks: { desired: 2 } }, metrics: { deploys: 2, successRate: 1 } });
    expect(view.live.taskDefinition).toMatch(/:task-definition\/helloagents-\w+:3$/);
    expect(view.history.map((r) => `${r.revision} ${r.version} ${r.result}`)).toEqual(["2 v1.1.0 deployed", "1 v1.0.0 deployed"]);
    const text = await cli(["status", "--env", "test", "--config", config], env());
    // moto counts no running tasks after an update (it starts none): the line, not the count, is what is checked here
    expect(text.stdout).toMatch(/^Live: \*\*v1\.1\.0 \(helloagents-\w+:3, \d\/2 tasks running\)\*\*, revision 2 since /m);
    expect(text.stdout).toContain("| 1 | deploy | v1.0.0 | - | deployed |");
  });

  it("rollback goes back to revision 1's task definition, as it is, through the same blue/green path and smoke", async () => {
    const before = endpoint.callsOf("RegisterTaskDefinition").length;
    const run = await cli(["rollback", "--env", "test", "--config", config, "--json"], env());
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report).toMatchObject({ revision: 3, method: "redeploy", live: { version: "v1.0.0", revision: 3 } });
    expect(report.steps.find((s) => s.name === "register task definition")).toMatchObject({ outcome: "skipped" });
    expect(report.steps.map((s) => s.name)).toContain("smoke the test listener");
    expect(endpoint.callsOf("RegisterTaskDefinition").length).toBe(before);
    expect((await liveRevision(seeded)).revision).toBe(2);
  });

  it("rollback --to-revision 2 puts v1.1.0 back; the webhook got one message per run", async () => {
    const run = await cli(["rollback", "--env", "test", "--config", config, "--to-revision", "2", "--json"], env());
    expect(reportOf(run)).toMatchObject({ result: "deployed", revision: 4, live: { version: "v1.1.0" } });
    expect(webhook.messages.map((m) => m.text.split(":")[0])).toEqual(["deploy test v1.0.0", "deploy test v1.1.0", "rollback test v1.0.0", "rollback test v1.1.0"]);
    const status = await cli(["status", "--env", "test", "--config", config], env());
    expect(status.stdout).toContain("Deploys: 2, succeeded 2 (success rate 100 %); rollbacks 2 (100 % of deploys)");
  });
});
