// `hello-ci health-check --env E` on an environment with a Kubernetes deploy: section, against the real API server of
// ci/test/k8s: the active colour's Deployments (made with the engine's own manifests, so named as a deploy names them)
// are checks of the same verdict. kwok pod annotations make a pod crash-loop or never become ready; the environment's
// public URLs point at a local server that always passes, so the workloads alone decide.
import { readFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { CoreV1Api, type V1Deployment, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseEnvironmentsConfig } from "../../src/core/config/environments.js";
import { activeService, deployment } from "../../src/core/deploy/manifests.js";
import { APPS, type App, type Colour } from "../../src/core/deploy/names.js";
import type { KubeObject } from "../../src/kube/client.js";
import { loadKubeconfig } from "../../src/kube/kubeconfig.js";
import { healthReportSchema } from "../../src/schemas/health.js";
import { startSlowServer, type TestServer } from "../support/stack.js";
import { tempDir } from "../support/temp.js";
import { cli, digestRef, kube, kubeconfigPath, newNamespace, stateDir, writeConfig } from "./harness.js";

const dir = tempDir("health-workloads-");
let publicUrl: TestServer;

beforeAll(async () => {
  publicUrl = await startSlowServer(0);
});
afterAll(async () => publicUrl?.stop());

interface Assertion {
  assertion: string;
  expected: string;
  observed: unknown;
  ok: boolean;
  severity: string;
  detail?: string;
}
interface Check {
  name: string;
  url: string;
  verdict: string;
  assertions: Assertion[];
  error?: { kind: string; message: string };
}
interface Verdict {
  verdict: string;
  checks: Check[];
  workloads: { checked: boolean; namespace?: string; server?: string; reason?: string };
}

type Behaviours = Partial<Record<App, Record<string, string>>>;

/** A namespace and an environments file whose `test` environment deploys there; apps get the given pod annotations. */
async function environment(behaviours: Behaviours = {}, replicas: Record<App, number> = { backend: 2, frontend: 1 }): Promise<{ namespace: string; config: string }> {
  const namespace = await newNamespace("health");
  const apps = Object.fromEntries(APPS.map((app) => [app, { replicas: replicas[app], podAnnotations: behaviours[app] ?? {} }]));
  const config = writeConfig(dir, { namespace, urls: { public: publicUrl.url, preview: publicUrl.url }, deploy: { apps } });
  return { namespace, config };
}

/** Apply one colour's Deployments as the engine renders them, and (optionally) point the active Services at it. */
async function applyColour(config: string, colour: Colour, version: string, activate: boolean): Promise<void> {
  const deploy = parseEnvironmentsConfig(readFileSync(config, "utf8"), config).environments.test!.deploy!;
  if (deploy.target !== "kubernetes") throw new Error("the test environment must deploy to Kubernetes");
  const input = { env: "test", version, images: { backend: digestRef("backend", version), frontend: digestRef("frontend", version) }, colour, revision: 1 };
  for (const app of APPS) await kube().apply(deployment(deploy, input, app) as KubeObject);
  if (activate) for (const app of APPS) await kube().apply(activeService(deploy, app, colour) as KubeObject);
}

/** Poll until `ok` holds for the Deployment and its pods (kwok moves pods within seconds). */
async function waitFor(namespace: string, app: App, colour: Colour, ok: (d: V1Deployment | undefined, pods: V1Pod[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await kube().get<V1Deployment & KubeObject>({ apiVersion: "apps/v1", kind: "Deployment", namespace, name: `helloagents-${app}-${colour}` });
    const pods = await kube().list<V1Pod & KubeObject>("v1", "Pod", namespace, `app.kubernetes.io/name=helloagents-${app},helloagents.dev/colour=${colour}`);
    if (ok(d, pods)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} in ${namespace}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const allReady = (d: V1Deployment | undefined) => d !== undefined && (d.status?.readyReplicas ?? 0) === d.spec?.replicas;
const crashLooped = (_d: V1Deployment | undefined, pods: V1Pod[]) =>
  pods.length > 0 && pods.every((p) => p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === "CrashLoopBackOff" && (c.restartCount ?? 0) >= 1));
const podsRunning = (d: V1Deployment | undefined, pods: V1Pod[]) => d !== undefined && pods.length === d.spec?.replicas && pods.every((p) => p.status?.phase === "Running");

async function healthCheck(config: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; verdict: Verdict; stderr: string }> {
  const run = await cli(["health-check", "--env", "test", "--config", config, "--json", "--retries", "0", ...extra], env);
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`health-check printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  // The published verdict schema (strict) must accept what was printed, workloads included.
  healthReportSchema.parse(parsed);
  return { code: run.code, verdict: parsed as Verdict, stderr: run.stderr };
}

const check = (v: Verdict, name: string): Check => {
  const found = v.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name} in ${v.checks.map((c) => c.name).join(", ")}`);
  return found;
};
const assertion = (c: Check, name: string): Assertion => c.assertions.find((a) => a.assertion === name)!;

describe("health-check --env: the workloads of the active colour, on the real API server", () => {
  it("healthy blue: both workloads pass with their ready counts, next to the HTTP checks (JSON, text and Markdown)", async () => {
    const { namespace, config } = await environment();
    await applyColour(config, "blue", "v1.0.0", true);
    for (const app of APPS) await waitFor(namespace, app, "blue", allReady, `${app} ready`);

    const { code, verdict } = await healthCheck(config);
    expect(code).toBe(0);
    expect(verdict.verdict).toBe("pass");
    expect(verdict.workloads).toMatchObject({ checked: true, namespace });
    expect(verdict.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["backend-liveness", "pass"],
      ["backend-database", "pass"],
      ["frontend", "pass"],
      ["workload-backend", "pass"],
      ["workload-frontend", "pass"],
    ]);
    expect(assertion(check(verdict, "workload-backend"), "ready replicas")).toMatchObject({ observed: 2, expected: "== 2 (at least 1)", ok: true });
    expect(assertion(check(verdict, "workload-frontend"), "ready replicas")).toMatchObject({ observed: 1, ok: true });
    expect(check(verdict, "workload-backend").url).toMatch(new RegExp(`/apis/apps/v1/namespaces/${namespace}/deployments/helloagents-backend-blue$`));

    const report = join(dir, `${namespace}.md`);
    const text = await cli(["health-check", "--env", "test", "--config", config, "--report", report]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^PASS +workload-backend /m);
    expect(text.stdout).toMatch(/^verdict: pass \(5 checks/m);
    expect(readFileSync(report, "utf8")).toMatch(/\| workload-frontend \| ✅ pass \|/);
  });

  it("a crash-looping backend fails the verdict, naming CrashLoopBackOff with the last exit code and restarts (which also warn)", async () => {
    const { namespace, config } = await environment({ backend: { "helloagents.test/behavior": "crash" } });
    await applyColour(config, "blue", "v1.0.0", true);
    await waitFor(namespace, "backend", "blue", crashLooped, "backend crash-looping");
    await waitFor(namespace, "frontend", "blue", allReady, "frontend ready");

    const { code, verdict, stderr } = await healthCheck(config);
    expect(code, stderr).toBe(1);
    expect(verdict.verdict).toBe("fail");
    const backend = check(verdict, "workload-backend");
    expect(backend.verdict).toBe("fail");
    expect(assertion(backend, "ready replicas")).toMatchObject({ observed: 0, ok: false, severity: "fail" });
    expect(assertion(backend, "waiting reasons")).toMatchObject({ observed: ["CrashLoopBackOff"], ok: false, severity: "fail" });
    expect(assertion(backend, "waiting reasons").detail).toMatch(/^pod helloagents-backend-blue-\S+: container backend is in CrashLoopBackOff \(last exit code 1, restarted \d+ times?\)/);
    expect(assertion(backend, "restarts")).toMatchObject({ ok: false, severity: "warn" });
    expect(assertion(backend, "restarts").observed).toBeGreaterThanOrEqual(2);
    expect(check(verdict, "workload-frontend").verdict).toBe("pass");
    // The text names the crash too.
    const text = await cli(["health-check", "--env", "test", "--config", config, "--retries", "0"]);
    expect(text.stdout).toMatch(/^FAIL +workload-backend /m);
    expect(text.stdout).toContain("waiting reasons expected none that waiting does not fix, observed [\"CrashLoopBackOff\"]");
  });

  it("a frontend that never becomes ready fails with no ready replica (nothing waiting, nothing restarted)", async () => {
    const { namespace, config } = await environment({ frontend: { "helloagents.test/behavior": "never-ready" } });
    await applyColour(config, "blue", "v1.0.0", true);
    await waitFor(namespace, "backend", "blue", allReady, "backend ready");
    await waitFor(namespace, "frontend", "blue", podsRunning, "frontend pods running");

    const { code, verdict } = await healthCheck(config);
    expect(code).toBe(1);
    const frontend = check(verdict, "workload-frontend");
    expect(frontend.assertions.filter((a) => !a.ok).map((a) => a.assertion)).toEqual(["ready replicas"]);
    expect(assertion(frontend, "ready replicas").detail).toBe("helloagents-frontend-blue (blue): 0 of 1 ready: the app is down");
    expect(check(verdict, "workload-backend").verdict).toBe("pass");
  });

  it("judges the colour the active Services select: a crashing idle colour does not count until the switch", async () => {
    const { namespace, config } = await environment();
    await applyColour(config, "blue", "v1.0.0", true);
    for (const app of APPS) await waitFor(namespace, app, "blue", allReady, `${app} blue ready`);
    // Green crash-loops: rendered from a config whose backend pods crash, applied beside blue, not activated.
    const crashing = writeConfig(dir, { namespace, urls: { public: publicUrl.url, preview: publicUrl.url }, deploy: { apps: { backend: { replicas: 1, podAnnotations: { "helloagents.test/behavior": "crash" } } } } });
    await applyColour(crashing, "green", "v1.1.0", false);
    await waitFor(namespace, "backend", "green", crashLooped, "green backend crash-looping");

    const before = await healthCheck(config);
    expect(before.code).toBe(0);
    expect(check(before.verdict, "workload-backend").url).toMatch(/helloagents-backend-blue$/);

    await applyColour(crashing, "green", "v1.1.0", true);
    const after = await healthCheck(config);
    expect(after.code).toBe(1);
    expect(check(after.verdict, "workload-backend").url).toMatch(/helloagents-backend-green$/);
    expect(assertion(check(after.verdict, "workload-backend"), "waiting reasons").observed).toEqual(["CrashLoopBackOff"]);
  });

  it("a namespace where nothing is deployed fails, naming the missing active Service", async () => {
    const { config } = await environment();
    const { code, verdict } = await healthCheck(config);
    expect(code).toBe(1);
    expect(check(verdict, "workload-backend").assertions).toEqual([
      { assertion: "active Service", expected: "selects blue or green", observed: null, ok: false, severity: "fail", detail: "Service helloagents-backend not found: nothing is deployed here yet" },
    ]);
  });

  it("credentials that may not read the namespace fail the workload checks, naming the verb and resource (a ServiceAccount token without a Role)", async () => {
    const { namespace, config } = await environment();
    await kube().create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "no-rights", namespace } } as KubeObject);
    const core = loadKubeconfig({ env: { KUBECONFIG: kubeconfigPath() } }).makeApiClient(CoreV1Api);
    const token = (await core.createNamespacedServiceAccountToken({ name: "no-rights", namespace, body: { spec: { audiences: [], expirationSeconds: 600 } } })).status?.token;
    expect(token).toBeTruthy();
    const server = loadKubeconfig({ env: { KUBECONFIG: kubeconfigPath() } }).getCurrentCluster()!.server;
    const file = join(dir, `${namespace}.kubeconfig`);
    writeFileSync(
      file,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server, "certificate-authority": join(stateDir(), "pki", "ca.crt") } }],
        users: [{ name: "no-rights", user: { token } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "no-rights" } }],
        "current-context": "x",
      }),
    );
    const { code, verdict } = await healthCheck(config, ["--kubeconfig", file]);
    expect(code).toBe(1);
    const backend = check(verdict, "workload-backend");
    expect(backend.verdict).toBe("fail");
    expect(backend.error?.kind).toBe("forbidden");
    expect(backend.error?.message).toMatch(new RegExp(`^not allowed to get service ${namespace}/helloagents-(backend|frontend): .*is forbidden: User "system:serviceaccount:${namespace}:no-rights" cannot get resource "services"`));
    expect(JSON.stringify(verdict)).not.toContain(token!);
  });

  describe("--server: the API server through a tunnel, its certificate still verified", () => {
    let tunnel: Server;
    let tunnelPort = 0;
    let connections = 0;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      const target = new URL(loadKubeconfig({ env: { KUBECONFIG: kubeconfigPath() } }).getCurrentCluster()!.server);
      tunnel = createServer((socket) => {
        connections++;
        const upstream = connect(Number(target.port), target.hostname);
        sockets.push(socket, upstream);
        socket.pipe(upstream).pipe(socket);
        socket.on("error", () => upstream.destroy());
        upstream.on("error", () => socket.destroy());
      });
      await new Promise<void>((resolve) => tunnel.listen(0, "127.0.0.1", resolve));
      tunnelPort = (tunnel.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tunnel?.close(() => resolve()));
    });

    it("reads the workloads through the tunnel (verifying the certificate as localhost)", async () => {
      const { namespace, config } = await environment();
      await applyColour(config, "blue", "v1.0.0", true);
      for (const app of APPS) await waitFor(namespace, app, "blue", allReady, `${app} ready`);
      const { code, verdict, stderr } = await healthCheck(config, ["--server", `https://127.0.0.1:${tunnelPort}`]);
      expect(code, stderr).toBe(0);
      expect(verdict.workloads).toEqual({ checked: true, namespace, server: `https://127.0.0.1:${tunnelPort}` });
      expect(check(verdict, "workload-backend").verdict).toBe("pass");
      expect(connections).toBeGreaterThan(0);
    });
  });
});
