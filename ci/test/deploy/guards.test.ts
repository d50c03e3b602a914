// What a deploy refuses before it changes anything, against the real API server: a held lock (exit 3, naming the
// holder), a stale lock (taken over), production without --yes, a runtime Secret without a key the backend needs (exit
// 2), a cluster that does not answer (exit 3), and bad input of every kind (exit 2, one line).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { V1ConfigMap, V1Deployment, V1Job, V1Secret } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { microTime } from "../../src/core/deploy/lease.js";
import type { KubeObject } from "../../src/kube/client.js";
import { tempDir } from "../support/temp.js";
import { cli, createRuntimeSecret, digestRef, imageArgs, kube, newNamespace, RUNTIME_KEYS, writeConfig } from "./harness.js";

const dir = tempDir("deploy-guards-");
// Nothing here gets as far as the smoke: the URLs point at a closed port.
const urls = { public: "http://127.0.0.1:9", preview: "http://127.0.0.1:9" };

const nothingChanged = async (namespace: string) => {
  const [deployments, jobs, records] = await Promise.all([
    kube().list<V1Deployment & KubeObject>("apps/v1", "Deployment", namespace),
    kube().list<V1Job & KubeObject>("batch/v1", "Job", namespace),
    kube().list<V1ConfigMap & KubeObject>("v1", "ConfigMap", namespace, "helloagents.dev/history=true"),
  ]);
  expect({ deployments: deployments.length, jobs: jobs.length, records: records.length }).toEqual({ deployments: 0, jobs: 0, records: 0 });
};

const lease = (namespace: string, holder: string, renewedSecondsAgo: number) =>
  kube().create({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "helloagents-deploy", namespace },
    spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: microTime(new Date(Date.now() - 120_000)), renewTime: microTime(new Date(Date.now() - renewedSecondsAgo * 1000)) },
  } as KubeObject);

describe("deploy guards (real API server)", () => {
  it("refuses a second deploy while another holds the lock: exit 3 naming the holder, nothing changed", async () => {
    const namespace = await newNamespace("locked");
    await createRuntimeSecret(namespace);
    await lease(namespace, "octocat@runner-7:4242:9f3c1a", 5);
    const run = await cli(["deploy", "--env", "test", "--config", writeConfig(dir, { namespace, urls }), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--json"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^hello-ci: deploy test: unreachable: test is being changed by octocat@runner-7:4242:9f3c1a since .*; its lock expires at /m);
    await nothingChanged(namespace);
    const held = await kube().get<KubeObject & { spec: { holderIdentity: string } }>({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace, name: "helloagents-deploy" });
    expect(held?.spec.holderIdentity).toBe("octocat@runner-7:4242:9f3c1a"); // never stolen
  });

  it("takes over a stale lock (its holder stopped renewing it), and releases its own at the end", async () => {
    const namespace = await newNamespace("stale");
    await lease(namespace, "ghost@gone:1:000000", 600);
    const run = await cli(["deploy", "--env", "test", "--config", writeConfig(dir, { namespace, urls }), "--version", "v1.0.0", ...imageArgs("v1.0.0")]);
    expect(run.stderr).toMatch(/\[1\] lock: ok: took over the stale lock of ghost@gone:1:000000/);
    expect(run.code).toBe(2); // then stops at the missing runtime Secret
    expect(await kube().get({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace, name: "helloagents-deploy" })).toBeUndefined();
  });

  it("refuses production-like environments without --yes when no terminal can ask (exit 2, nothing changed)", async () => {
    const namespace = await newNamespace("prod");
    await createRuntimeSecret(namespace);
    const config = writeConfig(dir, { namespace, urls, name: "production", deploy: { requireConfirmation: true } });
    const run = await cli(["deploy", "--env", "production", "--config", config, "--version", "v1.0.0", ...imageArgs("v1.0.0")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("hello-ci: deploy: production requires confirmation: add --yes (no terminal to ask on) (requireConfirmation is set for production in the environments configuration)");
    await nothingChanged(namespace);
    const rollback = await cli(["rollback", "--env", "production", "--config", config]);
    expect(rollback.code).toBe(2);
    expect(rollback.stderr).toContain("requires confirmation: add --yes");
  });

  it("refuses a runtime Secret that lacks a key the backend needs (exit 2, naming it), before anything changes", async () => {
    const namespace = await newNamespace("secret");
    await createRuntimeSecret(namespace, RUNTIME_KEYS.filter((k) => k !== "OPENAI_API_KEY"));
    const run = await cli(["deploy", "--env", "test", "--config", writeConfig(dir, { namespace, urls }), "--version", "v1.0.0", ...imageArgs("v1.0.0")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^hello-ci: the runtime Secret ${namespace}/helloagents-runtime lacks OPENAI_API_KEY \\(add them .* or pass --secret-from-env OPENAI_API_KEY=VAR\\)$`, "m"));
    await nothingChanged(namespace);
  });

  it("--secret-from-env fills the runtime Secret from the environment without ever printing the value", async () => {
    const namespace = await newNamespace("fill");
    await createRuntimeSecret(namespace, RUNTIME_KEYS.filter((k) => k !== "OPENAI_API_KEY"));
    const canary = "sk-canary-6f1d2e9a7b";
    const cfg = writeConfig(dir, { namespace, urls, deploy: { apps: { backend: { replicas: 1, podAnnotations: { "helloagents.test/behavior": "never-ready" } } }, strategy: { progressDeadline: "3s" } } });
    const run = await cli(["deploy", "--env", "test", "--config", cfg, "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--secret-from-env", "OPENAI_API_KEY=OPENAI_FOR_DEPLOY", "--json"], { OPENAI_FOR_DEPLOY: canary });
    expect(run.stderr).toMatch(/\[3\] runtime secret: ok: helloagents-runtime holds all 4 required keys; updated OPENAI_API_KEY/);
    expect(run.code).toBe(1); // it then fails as designed: the new colour never gets ready
    expect(run.stdout + run.stderr).not.toContain(canary);
    const secret = await kube().get<V1Secret & KubeObject>({ apiVersion: "v1", kind: "Secret", namespace, name: "helloagents-runtime" });
    expect(Buffer.from(secret!.data!.OPENAI_API_KEY!, "base64").toString()).toBe(canary);
    const backup = await kube().get<V1ConfigMap & KubeObject>({ apiVersion: "v1", kind: "ConfigMap", namespace, name: "helloagents-deploy-r1" });
    expect(JSON.stringify(backup)).not.toContain(canary);
  });

  it("says the cluster did not answer (exit 3) when the API server is not there, and changes nothing", async () => {
    const kubeconfig = join(dir, "closed.kubeconfig");
    writeFileSync(kubeconfig, ["apiVersion: v1", "kind: Config", "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9', insecure-skip-tls-verify: true}}]", "users: [{name: u, user: {token: t}}]", "contexts: [{name: x, context: {cluster: c, user: u}}]", "current-context: x", ""].join("\n"));
    const run = await cli(["deploy", "--env", "test", "--config", writeConfig(dir, { namespace: "unreachable", urls }), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--kubeconfig", kubeconfig]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^hello-ci: deploy test: unreachable: the API server https:\/\/127\.0\.0\.1:9 is unreachable \(ECONNREFUSED\)/m);
  });

  describe("bad input: one line, exit 2, before the cluster is touched", () => {
    const config = () => writeConfig(dir, { namespace: "never-used", urls });
    const cases: Array<[string, () => string[], RegExp]> = [
      ["an unknown environment, listing the known ones", () => ["--env", "qa", "--config", config(), "--version", "v1.0.0", ...imageArgs("v1.0.0")], /^hello-ci: deploy: --env: unknown environment "qa"; known environments: test/],
      ["a malformed version", () => ["--env", "test", "--config", config(), "--version", "1.2", ...imageArgs("v1.0.0")], /^hello-ci: deploy: --version: '1\.2' is not a release version: expected vMAJOR\.MINOR\.PATCH/],
      ["an image by tag, not digest", () => ["--env", "test", "--config", config(), "--version", "v1.0.0", "--backend-image", "ghcr.io/helloagents/helloagents-backend:1.0.0", "--frontend-image", digestRef("frontend", "v1")], /^hello-ci: deploy: --backend-image: ghcr\.io\/helloagents\/helloagents-backend:1\.0\.0 is not pinned by digest/],
      ["an image of another repository", () => ["--env", "test", "--config", config(), "--version", "v1.0.0", "--backend-image", `ghcr.io/evil/backend@sha256:${"a".repeat(64)}`, "--frontend-image", digestRef("frontend", "v1")], /^hello-ci: deploy: --backend-image: ghcr\.io\/evil\/backend is not this environment's backend repository/],
      ["an unreadable kubeconfig", () => ["--env", "test", "--config", config(), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--kubeconfig", join(dir, "missing.kubeconfig")], /^hello-ci: kubeconfig .*missing\.kubeconfig: no such file \(pass --kubeconfig FILE or set KUBECONFIG\)$/],
      ["a kubeconfig that is not one", () => {
        writeFileSync(join(dir, "garbage.kubeconfig"), "{{{ not yaml");
        return ["--env", "test", "--config", config(), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--kubeconfig", join(dir, "garbage.kubeconfig")];
      }, /^hello-ci: kubeconfig .*garbage\.kubeconfig: not a valid kubeconfig/],
      ["a config with a wrong type, naming the field", () => {
        const file = join(dir, "wrong-type.yaml");
        writeFileSync(file, readFileSync(config(), "utf8").replace("replicas: 2", "replicas: two"));
        return ["--env", "test", "--config", file, "--version", "v1.0.0", ...imageArgs("v1.0.0")];
      }, /^hello-ci: .*wrong-type\.yaml is invalid: environments\.test\.deploy\.apps\.backend\.replicas: Invalid input: expected number, received string/],
      ["an environment without a deploy section", () => {
        const file = join(dir, "no-deploy.yaml");
        writeFileSync(file, readFileSync(config(), "utf8").replace(/\n {4}deploy:[\s\S]*$/, "\n"));
        return ["--env", "test", "--config", file, "--version", "v1.0.0", ...imageArgs("v1.0.0")];
      }, /^hello-ci: deploy: --env: environment "test" has no deploy: section in .*no-deploy\.yaml \(add one \(see docs\/deploy\.md\)\)$/],
      ["a malformed --secret-from-env", () => ["--env", "test", "--config", config(), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--secret-from-env", "OPENAI_API_KEY"], /^hello-ci: deploy: --secret-from-env: "OPENAI_API_KEY" is not KEY=VARIABLE$/],
    ];
    it.each(cases)("%s", async (_name, args, message) => {
      const run = await cli(["deploy", ...args()]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stdout).toBe("");
    });
  });
});

