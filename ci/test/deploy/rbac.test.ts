// The Role of docs/deploy-role.yaml is enough, and nothing more is needed: a ServiceAccount bound to exactly that Role
// (its token from the real API server's TokenRequest) deploys, rolls back and reads the status; without one of the
// Role's rules the run stops with exit 3 naming what is missing. RBAC is enforced by the real API server.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { KubeObject } from "../../src/kube/client.js";
import { repoRoot } from "../support/stack.js";
import { tempDir } from "../support/temp.js";
import { cli, createRuntimeSecret, imageArgs, kube, kubeconfigPath, newNamespace, reportOf, usePlatform, writeConfig } from "./harness.js";

const dir = tempDir("deploy-rbac-");
const ROLE = parse(readFileSync(join(repoRoot, "docs/deploy-role.yaml"), "utf8")) as KubeObject & { rules: Array<{ resources: string[]; verbs: string[] }> };
const platform = usePlatform();

/** A namespace with a ServiceAccount bound to `role`, and a kubeconfig that authenticates as that ServiceAccount. */
async function deployerKubeconfig(namespace: string, role: typeof ROLE): Promise<string> {
  await kube().apply({ ...role, metadata: { ...role.metadata, namespace } });
  await kube().apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", namespace } } as KubeObject);
  await kube().apply({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "deployer", namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
    subjects: [{ kind: "ServiceAccount", name: "deployer", namespace }],
  } as KubeObject);
  const token = spawnSync("kubectl", ["--kubeconfig", kubeconfigPath(), "-n", namespace, "create", "token", "deployer", "--duration", "1h"], { encoding: "utf8" });
  if (token.status !== 0) throw new Error(`kubectl create token failed: ${token.stderr}`);
  const admin = parse(readFileSync(kubeconfigPath(), "utf8")) as { clusters: Array<{ cluster: { server: string; "certificate-authority": string } }> };
  const file = join(dir, `${namespace}.kubeconfig`);
  writeFileSync(file, JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "test", cluster: admin.clusters[0]!.cluster }],
    users: [{ name: "deployer", user: { token: token.stdout.trim() } }],
    contexts: [{ name: "deployer", context: { cluster: "test", user: "deployer", namespace } }],
    "current-context": "deployer",
  }));
  return file;
}

describe("the documented deployer Role (real API server, RBAC enforced)", () => {
  it("is enough to deploy twice, roll back and read the status", async () => {
    const namespace = await newNamespace("rbac");
    await createRuntimeSecret(namespace);
    const kubeconfig = await deployerKubeconfig(namespace, ROLE);
    const config = writeConfig(dir, { namespace, urls: platform.urls() });
    for (const version of ["v1.0.0", "v1.1.0"]) {
      const run = await cli(["deploy", "--env", "test", "--config", config, "--version", version, ...imageArgs(version), "--kubeconfig", kubeconfig, "--json"]);
      expect(reportOf(run).result, run.stderr).toBe("deployed");
    }
    const rollback = await cli(["rollback", "--env", "test", "--config", config, "--kubeconfig", kubeconfig, "--json"]);
    expect(reportOf(rollback)).toMatchObject({ result: "deployed", method: "flip" });
    const status = await cli(["status", "--env", "test", "--config", config, "--kubeconfig", kubeconfig]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("Live: **blue v1.0.0");
  });

  it("without the lock's rule, stops at once with exit 3 naming the verb and resource, and changes nothing", async () => {
    const namespace = await newNamespace("rbac-nolease");
    await createRuntimeSecret(namespace);
    const role = { ...ROLE, metadata: { name: "helloagents-deployer-no-lease" }, rules: ROLE.rules.filter((r) => !r.resources.includes("leases")) };
    const kubeconfig = await deployerKubeconfig(namespace, role);
    const run = await cli(["deploy", "--env", "test", "--config", writeConfig(dir, { namespace, urls: platform.urls() }), "--version", "v1.0.0", ...imageArgs("v1.0.0"), "--kubeconfig", kubeconfig, "--json"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^hello-ci: deploy test: unreachable: not allowed to get lease ${namespace}/helloagents-deploy: leases\\.coordination\\.k8s\\.io "helloagents-deploy" is forbidden: User "system:serviceaccount:${namespace}:deployer" cannot get resource "leases"`, "m"));
    expect(await kube().list("apps/v1", "Deployment", namespace)).toEqual([]);
  });
});
