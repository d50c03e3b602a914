// The cluster goes away in the middle of a deploy: the real kube-apiserver is stopped by PID (cluster.sh
// stop-component) while hello-ci runs, then started again. Before the switch the run ends with exit 3 and the old
// version untouched; after the switch with exit 4 and a report of what was last seen live. Either way a re-run after
// the restart converges to one active colour, and the dead run's record is kept, marked interrupted.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { V1Service } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/client.js";
import { repoRoot } from "../support/stack.js";
import { tempDir } from "../support/temp.js";
import { cli, cliWatching, createRuntimeSecret, imageArgs, kube, logTail, newNamespace, reportOf, stateDir, usePlatform, writeConfig } from "./harness.js";

const dir = tempDir("deploy-outage-");
const CLUSTER = join(repoRoot, "ci/test/k8s/cluster.sh");
const platform = usePlatform();

/** Kill the API server (like a crash), or start it again (cluster.sh also restarts its controllers). */
function apiserver(action: "stop" | "start"): void {
  const args = action === "stop" ? ["stop-component", "kube-apiserver", "--kill"] : ["start-component", "kube-apiserver"];
  const run = spawnSync("bash", [CLUSTER, ...args], { env: { ...process.env, K8S_STATE_DIR: stateDir() }, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`cluster.sh ${action}-component kube-apiserver failed: ${run.stderr}`);
}

/** Wait until a throwaway Deployment is available again, so the next step starts on a cluster that works. */
async function controllersCaughtUp(namespace: string): Promise<void> {
  const name = `probe-${Date.now().toString(36)}`;
  const labels = { probe: name };
  await kube().create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "probe" }] } } } } as KubeObject);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await kube().get<KubeObject & { status?: { availableReplicas?: number } }>({ apiVersion: "apps/v1", kind: "Deployment", namespace, name });
    if ((d?.status?.availableReplicas ?? 0) >= 1) break;
    if (Date.now() > deadline) throw new Error(`the controllers did not catch up within 60 s of the API server restart; kube-controller-manager's log ends:\n${logTail("kube-controller-manager")}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await kube().delete({ apiVersion: "apps/v1", kind: "Deployment", namespace, name });
}

const selected = async (namespace: string) => {
  const colours = await Promise.all(
    ["backend", "frontend"].map(async (app) => (await kube().get<V1Service & KubeObject>({ apiVersion: "v1", kind: "Service", namespace, name: `helloagents-${app}` }))?.spec?.selector?.["helloagents.dev/colour"]),
  );
  return { backend: colours[0], frontend: colours[1] };
};

const history = async (config: string) =>
  (JSON.parse((await cli(["status", "--env", "test", "--config", config, "--json"])).stdout) as { history: Array<{ revision: number; version: string; result: string }> }).history.map((r) => `${r.revision} ${r.version} ${r.result}`);

let namespace: string;
let config: string;
let slowConfig: string;

beforeAll(async () => {
  namespace = await newNamespace("outage");
  await createRuntimeSecret(namespace);
  const urls = platform.urls();
  config = writeConfig(dir, { namespace, urls });
  // The new colour takes a few seconds to become ready (kwok ready-after), and the bake lasts a few seconds: time to
  // stop the API server in the middle of either.
  slowConfig = writeConfig(dir, { namespace, urls, deploy: { apps: { backend: { replicas: 2, podAnnotations: { "helloagents.test/behavior": "ready-after", "helloagents.test/ready-after": "5s" } } }, strategy: { bakeTime: "5s", probeInterval: "500ms" } } });
  const first = await cli(["deploy", "--env", "test", "--config", config, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"]);
  expect(reportOf(first).result, first.stderr).toBe("deployed");
});
afterAll(() => apiserver("start")); // never leave the shared cluster without its API server

/** Deploy with the slow config and stop the API server when a progress line matches `when`. */
async function deployAndStopAt(version: string, when: RegExp) {
  let stopped = false;
  const run = await cliWatching(["deploy", "--env", "test", "--config", slowConfig, "--version", version, ...imageArgs(version), "--json"], {}, (line) => {
    if (!stopped && when.test(line)) {
      stopped = true;
      apiserver("stop");
    }
  });
  expect(stopped, `the progress never reached ${when}:\n${run.stderr}`).toBe(true);
  apiserver("start");
  await controllersCaughtUp(namespace);
  return run;
}

/** Wait until the dead run's lock (6 s in the test config, renewed until the run ended) has expired. */
const lockExpiry = () => new Promise((r) => setTimeout(r, 7000));

describe("the API server goes away mid-deploy (real API server, stopped and restarted)", () => {
  it("stopped before the switch: exit 3, nothing switched, blue still the live colour", async () => {
    const run = await deployAndStopAt("v2.0.0", /wait for ready|waiting: /);
    const report = reportOf(run);
    expect(run.code).toBe(3);
    expect(report.result).toBe("unreachable");
    expect(report.reason).toMatch(/^the API server https:\/\/127\.0\.0\.1:\d+ (is unreachable|did not answer in time).*; nothing was switched: blue v1\.0\.0 still serves$/);
    expect(report.live).toMatchObject({ colour: "blue", version: "v1.0.0", confirmed: false });
    expect(await selected(namespace)).toEqual({ backend: "blue", frontend: "blue" });
  });

  it("a re-run after the restart takes the dead run's lock once it expires, marks that run interrupted and converges", async () => {
    await lockExpiry();
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v2.0.0", ...imageArgs("v2.0.0"), "--json"]);
    const report = reportOf(run);
    expect(report.result, run.stderr).toBe("deployed");
    expect(run.stderr).toMatch(/\[1\] lock: ok: took over the stale lock of /);
    expect(run.stderr).toMatch(/mark interrupted runs: ok: revision\(s\) 2 marked interrupted/);
    expect(await selected(namespace)).toEqual({ backend: "green", frontend: "green" });
    expect(await history(config)).toEqual(["3 v2.0.0 deployed", "2 v2.0.0 interrupted", "1 v1.0.0 deployed"]);
  });

  it("stopped after the switch, during the bake: exit 4, and the report names the colour last seen live", async () => {
    const run = await deployAndStopAt("v3.0.0", /\] switch: ok: /);
    const report = reportOf(run);
    expect(run.code).toBe(4);
    expect(report.result).toBe("failed");
    expect(report.reason).toMatch(/flipping back to green failed .*: the active Services may point at blue$/);
    expect(report.live).toMatchObject({ colour: "blue", confirmed: false });
    expect(run.stderr).toMatch(/^hello-ci: deploy test: failed: /m);
  });

  it("a re-run after that restart converges again to exactly one active colour", async () => {
    await lockExpiry();
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v3.0.0", ...imageArgs("v3.0.0"), "--json"]);
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    const now = await selected(namespace);
    expect(now.backend).toBe(now.frontend);
    expect((await history(config)).slice(0, 2)).toEqual(["5 v3.0.0 deployed", "4 v3.0.0 interrupted"]);
  });

  it("a half-switched state (active Services on different colours) is converged to the last good colour before anything else", async () => {
    const before = await selected(namespace);
    const other = before.backend === "blue" ? "green" : "blue";
    await kube().patch({ apiVersion: "v1", kind: "Service", namespace, name: "helloagents-frontend" }, { spec: { selector: { "helloagents.dev/colour": other } } });
    const status = await cli(["status", "--env", "test", "--config", config]);
    expect(status.stdout).toMatch(/Live: \*\*half-switched\*\* \(backend → \w+, frontend → \w+\)/);
    const run = await cli(["deploy", "--env", "test", "--config", config, "--version", "v4.0.0", ...imageArgs("v4.0.0"), "--json"]);
    expect(reportOf(run).result, run.stderr).toBe("deployed");
    expect(run.stderr).toMatch(new RegExp(`converge a half-switched state: ok: backend was on ${before.backend}, frontend on ${other}: both now on ${before.backend}`));
    const after = await selected(namespace);
    expect(after).toEqual({ backend: other, frontend: other }); // then v4.0.0 went live on the other colour
  });
});
