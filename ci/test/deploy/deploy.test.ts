// Deploy, rollback and status against the real Kubernetes API server (ci/test/k8s), with the preview and public URLs
// pointing at the real platform stack (PostgreSQL, Redis, backend, nginx) on loopback. The routing is proven on the
// Services' EndpointSlices (kwok pods serve no HTTP).
import type { V1Deployment, V1EndpointSlice, V1Pod, V1Service } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/client.js";
import { tempDir } from "../support/temp.js";
import { cli, createRuntimeSecret, digestRef, imageArgs, kube, newNamespace, reportOf, startWebhook, usePlatform, writeConfig } from "./harness.js";

const dir = tempDir("deploy-");
const platform = usePlatform();

const get = <T>(apiVersion: string, kind: string, namespace: string, name: string) => kube().get<T & KubeObject>({ apiVersion, kind, namespace, name });
const list = <T>(apiVersion: string, kind: string, namespace: string, selector: string) => kube().list<T & KubeObject>(apiVersion, kind, namespace, selector);

/** IPs of the ready endpoints of a Service, and of the pods of one colour of an app. */
async function routing(namespace: string, service: string, app: string, colour: string): Promise<{ endpoints: string[]; pods: string[] }> {
  const slices = await list<V1EndpointSlice>("discovery.k8s.io/v1", "EndpointSlice", namespace, `kubernetes.io/service-name=${service}`);
  const pods = await list<V1Pod>("v1", "Pod", namespace, `app.kubernetes.io/name=helloagents-${app},helloagents.dev/colour=${colour}`);
  return {
    endpoints: slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort(),
    pods: pods.flatMap((p) => (p.status?.podIP ? [p.status.podIP] : [])).sort(),
  };
}

describe("deploy, rollback and status on the real API server", () => {
  let namespace: string;
  let config: string;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  const env = () => ({ HELLO_CI_WEBHOOK_URL: webhook.url });

  beforeAll(async () => {
    namespace = await newNamespace("happy");
    await createRuntimeSecret(namespace);
    config = writeConfig(dir, { namespace, urls: platform.urls() });
    webhook = await startWebhook();
  });
  afterAll(async () => webhook?.stop());

  it("first deploy brings up blue, smokes its preview, switches the active Services to it and records revision 1", async () => {
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"], env());
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ revision: 1, colour: "blue", live: { colour: "blue", version: "v1.0.0", halfSwitched: false, confirmed: true } });
    expect(report.steps.map((s) => s.name)).toEqual([
      "lock", "read live state", "runtime secret", "backup and record", "migrate", "apply the idle colour", "wait for ready",
      "verify preview routing", "smoke the preview", "switch", "bake", "keep the old colour",
    ]);
    const backend = await get<V1Deployment>("apps/v1", "Deployment", namespace, "helloagents-backend-blue");
    expect(backend?.spec?.template?.spec?.containers?.[0]?.image).toBe(digestRef("backend", "v1.0.0"));
    const active = await routing(namespace, "helloagents-backend", "backend", "blue");
    expect(active.endpoints).toEqual(active.pods);
    expect(active.pods).toHaveLength(2);
    expect(platform.preview.seen.length).toBeGreaterThan(0); // the smoke suite ran against the preview URL
    // progress: one line per step on stderr, the JSON alone on stdout
    expect(run.stderr).toMatch(/^deploy test: \[1\] lock: ok: held by /m);
    expect(run.stderr).toMatch(/deploy test: \[10\] switch: ok: active Services on blue/);
  });

  it("second deploy switches to green, keeps blue running for the scale-down delay, and the history holds both", async () => {
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.1.0", ...imageArgs("v1.1.0"), "--json", "--report", `${dir}/r2.md`, "--backup", `${dir}/b2.json`], env());
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report).toMatchObject({ revision: 2, colour: "green", live: { colour: "green", version: "v1.1.0" } });
    for (const app of ["backend", "frontend"]) {
      const active = await routing(namespace, `helloagents-${app}`, app, "green");
      expect(active.endpoints, app).toEqual(active.pods);
      const blue = await get<V1Deployment>("apps/v1", "Deployment", namespace, `helloagents-${app}-blue`);
      expect(blue?.spec?.replicas, `${app} blue kept`).toBeGreaterThan(0);
      expect(blue?.metadata.annotations?.["helloagents.dev/scale-down-after"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const status = JSON.parse((await cli(["status", "--env", "test", "--config", config, "--json"])).stdout) as { live: { active: string }; liveRevision: number; history: Array<{ revision: number; result: string; version: string }> };
    expect(status.live.active).toBe("green");
    expect(status.liveRevision).toBe(2);
    expect(status.history.map((r) => `${r.revision} ${r.version} ${r.result}`)).toEqual(["2 v1.1.0 deployed", "1 v1.0.0 deployed"]);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(`${dir}/r2.md`, "utf8")).toContain("# Deploy of v1.1.0 to test: deployed");
    const backup = JSON.parse(readFileSync(`${dir}/b2.json`, "utf8")) as { objects: Array<{ kind: string; metadata: { name: string } }>; runtimeSecretKeys: string[] };
    expect(backup.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain("Deployment/helloagents-backend-blue");
    expect(backup.runtimeSecretKeys).toEqual([...["ANTHROPIC_API_KEY", "DATABASE_URL", "OPENAI_API_KEY", "REDIS_URL"]]);
    expect(JSON.stringify(backup)).not.toContain("test-database_url"); // key names only, never values
  });

  it("rollback flips back to blue (still running) in seconds, verified, and records it", async () => {
    const run = await cli(["rollback", "--env", "test", "--config", config, "--json"], env());
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report).toMatchObject({ revision: 3, method: "flip", colour: "blue", live: { colour: "blue", version: "v1.0.0" } });
    const flip = report.steps.find((s) => s.name === "switch")!;
    expect(flip.outcome).toBe("done");
    const active = await routing(namespace, "helloagents-frontend", "frontend", "blue");
    expect(active.endpoints).toEqual(active.pods);
  });

  it("rollback --to-revision 2 redeploys green's recorded digests through the blue/green path", async () => {
    await cli(["scale-down", "--env", "test", "--config", config, "--now"]); // green is gone: a flip is impossible
    const green = await get<V1Deployment>("apps/v1", "Deployment", namespace, "helloagents-backend-green");
    expect(green?.spec?.replicas).toBe(0);
    const run = await cli(["rollback", "--env", "test", "--config", config, "--to-revision", "2", "--json"], env());
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(report).toMatchObject({ revision: 4, method: "redeploy", colour: "green", live: { colour: "green", version: "v1.1.0" } });
    expect(report.steps.map((s) => s.name)).toContain("wait for ready");
    const backend = await get<V1Deployment>("apps/v1", "Deployment", namespace, "helloagents-backend-green");
    expect(backend?.spec?.replicas).toBe(2);
    expect(backend?.spec?.template?.spec?.containers?.[0]?.image).toBe(digestRef("backend", "v1.1.0"));
  });

  it("status shows the live colour, the history table and the deployment metrics", async () => {
    const run = await cli(["status", "--env", "test", "--config", config]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Live: \*\*green v1\.1\.0 \(backend 2\/2, frontend 1\/1\)\*\*, revision 4 since /);
    expect(run.stdout).toMatch(/\| 3 \| rollback \(flip\) \| v1\.0\.0 \| blue \| deployed \|/);
    expect(run.stdout).toContain("Deploys: 2, succeeded 2 (success rate 100 %); rollbacks 2 (100 % of deploys)");
    const json = JSON.parse((await cli(["status", "--env", "test", "--config", config, "--json"])).stdout) as { metrics: { deploys: number; successRate: number; changeFailureRate: number } };
    expect(json.metrics).toMatchObject({ deploys: 2, successRate: 1 });
  });

  it("the webhook got one message per run, naming the environment, version and result, and never its own URL", () => {
    expect(webhook.messages.map((m) => m.text.split(":")[0])).toEqual(["deploy test v1.0.0", "deploy test v1.1.0", "rollback test v1.0.0", "rollback test v1.1.0"]);
    expect(webhook.messages[0]!.text).toMatch(/^deploy test v1\.0\.0: deployed \(revision 1, blue\)\. v1\.0\.0 is live on blue\./);
  });

  it("re-applying converges: a deploy of the live version to the idle colour leaves one active colour and no extra objects", async () => {
    const before = (await list<V1Service>("v1", "Service", namespace, "app.kubernetes.io/part-of=helloagents")).map((s) => s.metadata.name).sort();
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.1.0", ...imageArgs("v1.1.0"), "--json"], env());
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    const after = (await list<V1Service>("v1", "Service", namespace, "app.kubernetes.io/part-of=helloagents")).map((s) => s.metadata.name).sort();
    expect(after).toEqual(before);
    const deployments = await list<V1Deployment>("apps/v1", "Deployment", namespace, "app.kubernetes.io/part-of=helloagents");
    expect(deployments).toHaveLength(4);
  });
});
