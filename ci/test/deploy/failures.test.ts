// Deploys that must not go live, against the real API server: a new colour that never becomes ready or crash-loops
// (kwok pod behaviours, ci/test/k8s/README.md), a preview that fails its smoke, and public health that fails after the
// switch (a test-controlled proxy in front of the real stack). Each leaves the old version serving.
import type { V1Deployment, V1EndpointSlice, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/client.js";
import { tempDir } from "../support/temp.js";
import { cli, createRuntimeSecret, imageArgs, kube, newNamespace, reportOf, startWebhook, usePlatform, writeConfig, type TestEnvironment } from "./harness.js";

const dir = tempDir("deploy-failures-");
const platform = usePlatform();

const deployment = (namespace: string, name: string) => kube().get<V1Deployment & KubeObject>({ apiVersion: "apps/v1", kind: "Deployment", namespace, name });

/** The active Services route to exactly the blue pods (the version that must stay live). */
async function expectBlueServes(namespace: string): Promise<void> {
  for (const app of ["backend", "frontend"]) {
    const slices = await kube().list<V1EndpointSlice & KubeObject>("discovery.k8s.io/v1", "EndpointSlice", namespace, `kubernetes.io/service-name=helloagents-${app}`);
    const blue = await kube().list<V1Pod & KubeObject>("v1", "Pod", namespace, `app.kubernetes.io/name=helloagents-${app},helloagents.dev/colour=blue`);
    const endpoints = slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => e.addresses)).sort();
    expect(endpoints, `${app} routes to blue`).toEqual(blue.flatMap((p) => (p.status?.podIP ? [p.status.podIP] : [])).sort());
    expect(endpoints.length).toBeGreaterThan(0);
  }
}

/** A namespace where v1.0.0 is live on blue; returns a config writer for the next deploy. */
async function withBlueLive(prefix: string): Promise<{ namespace: string; config: (deploy?: TestEnvironment["deploy"]) => string }> {
  const namespace = await newNamespace(prefix);
  await createRuntimeSecret(namespace);
  const config = (deploy?: TestEnvironment["deploy"]) => writeConfig(dir, { namespace, urls: platform.urls(), ...(deploy ? { deploy } : {}) });
  const first = await cli(["deploy", "--env", "test", "--config", config(), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"]);
  expect(reportOf(first).result, first.stderr).toBe("deployed");
  return { namespace, config };
}

describe("deploys that must not go live (real API server)", () => {
  it("green never Ready: no switch, green scaled to zero, blue untouched, exit 1, recorded as rejected", async () => {
    const { namespace, config } = await withBlueLive("never");
    const webhook = await startWebhook();
    try {
      const cfg = config({ apps: { backend: { replicas: 2, podAnnotations: { "helloagents.test/behavior": "never-ready" } } }, strategy: { progressDeadline: "5s" } });
      const run = await cli(["deploy", "--env", "test", "--config", cfg, "--version", "v2.0.0", ...imageArgs("v2.0.0"), "--json"], { HELLO_CI_WEBHOOK_URL: webhook.url });
      const report = reportOf(run);
      expect(run.code).toBe(1);
      expect(report).toMatchObject({ result: "rejected", colour: "green", live: { colour: "blue", version: "v1.0.0" } });
      expect(report.reason).toMatch(/^wait for ready: (not ready within the progress deadline \(5s\)|helloagents-backend-green: progress deadline exceeded)/);
      expect(report.reason).toContain("not switched, blue v1.0.0 still serves");
      expect(report.steps.map((s) => s.name)).not.toContain("switch");
      for (const app of ["backend", "frontend"]) expect((await deployment(namespace, `helloagents-${app}-green`))?.spec?.replicas, app).toBe(0);
      await expectBlueServes(namespace);
      expect(run.stderr).toMatch(/^hello-ci: deploy test: rejected: wait for ready: /m);
      const status = JSON.parse((await cli(["status", "--env", "test", "--config", cfg, "--json"])).stdout) as { history: Array<{ revision: number; result: string }>; live: { active: string } };
      expect(status.history[0]).toMatchObject({ revision: 2, result: "rejected" });
      expect(status.live.active).toBe("blue");
      expect(webhook.messages.map((m) => m.text)).toEqual([expect.stringMatching(/^deploy test v2\.0\.0: rejected before the switch \(live untouched\) \(revision 2, green\)\. wait for ready: .*Live: blue v1\.0\.0\.$/)]);
    } finally {
      await webhook.stop();
    }
  });

  it("a crash-looping green fails fast, naming CrashLoopBackOff and the exit code, long before its deadline", async () => {
    const { namespace, config } = await withBlueLive("crash");
    const cfg = config({ apps: { frontend: { replicas: 1, podAnnotations: { "helloagents.test/behavior": "crash" } } }, strategy: { progressDeadline: "90s" } });
    const run = await cli(["deploy", "--env", "test", "--config", cfg, "--version", "v2.0.0", ...imageArgs("v2.0.0"), "--json"]);
    const report = reportOf(run);
    expect(run.code).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^wait for ready: helloagents-frontend-green: pod helloagents-frontend-green-[a-z0-9-]+: container frontend is in CrashLoopBackOff \(last exit code 1/);
    expect((await deployment(namespace, "helloagents-frontend-green"))?.spec?.replicas).toBe(0);
    await expectBlueServes(namespace);
  });

  it("the preview fails its smoke: same as not ready, the switch never happens", async () => {
    const { namespace, config } = await withBlueLive("smoke");
    platform.preview.mode = "fail";
    const run = await cli(["deploy", "--env", "test", "--config", config(), "--version", "v2.0.0", ...imageArgs("v2.0.0"), "--json"]);
    const report = reportOf(run);
    expect(run.code).toBe(1);
    expect(report.result).toBe("rejected");
    expect(report.reason).toMatch(/^smoke the preview: fail: /);
    expect(report.steps.find((s) => s.name === "verify preview routing")?.outcome).toBe("done"); // green itself was fine
    expect((await deployment(namespace, "helloagents-backend-green"))?.spec?.replicas).toBe(0);
    await expectBlueServes(namespace);
  });

  it("public health fails after the switch: flips back to blue at once, verifies it, scales green down, exit 1", async () => {
    const { namespace, config } = await withBlueLive("bake");
    platform.public.mode = "fail-api";
    const run = await cli(["deploy", "--env", "test", "--config", config({ strategy: { bakeTime: "3s", probeInterval: "500ms", maxFailureRatio: 0.2 } }), "--version", "v2.0.0", ...imageArgs("v2.0.0"), "--json"]);
    const report = reportOf(run);
    expect(run.code).toBe(1);
    expect(report).toMatchObject({ result: "rolled-back", live: { colour: "blue", version: "v1.0.0" } });
    expect(report.reason).toMatch(/^bake: high error rate: 2 of 2 health rounds failed \(at most 1 of 6 allowed\); last: backend-liveness fail/);
    expect(report.reason).toContain("flipped back to blue and verified");
    expect(report.steps.map((s) => `${s.name}:${s.outcome}`)).toEqual(expect.arrayContaining(["switch:done", "bake:failed", "flip back:done"]));
    await expectBlueServes(namespace);
    expect((await deployment(namespace, "helloagents-backend-green"))?.spec?.replicas).toBe(0);
    const status = JSON.parse((await cli(["status", "--env", "test", "--config", config(), "--json"])).stdout) as { history: Array<{ result: string; switchedAt?: string; restoredAt?: string }>; metrics: { changeFailureRate: number; medianTimeToRestoreMs: number } };
    expect(status.history[0]).toMatchObject({ result: "rolled-back", switchedAt: expect.any(String), restoredAt: expect.any(String) });
    expect(status.metrics.changeFailureRate).toBe(0.5);
    expect(status.metrics.medianTimeToRestoreMs).toBeGreaterThan(0);
  });
});
