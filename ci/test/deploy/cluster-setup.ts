/**
 * vitest globalSetup for test/deploy: one real control plane (ci/test/k8s/cluster.sh: etcd, kube-apiserver, controller
 * manager, scheduler, kwok) for the whole run, stopped by PID at the end. With K8S_STATE_DIR pointing at a running
 * cluster (`cluster.sh up`), that one is used and left running (a fast edit-test loop).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { repoRoot } from "../support/stack.js";

const CLUSTER = join(repoRoot, "ci/test/k8s/cluster.sh");

function cluster(args: string[], env: NodeJS.ProcessEnv): void {
  const run = spawnSync("bash", [CLUSTER, ...args], { env, encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`cluster.sh ${args.join(" ")} failed (exit ${run.status})`);
}

export default function setup(project: TestProject): () => void {
  const given = process.env.K8S_STATE_DIR;
  if (given && existsSync(join(given, "kubeconfig"))) {
    project.provide("k8sStateDir", given);
    return () => undefined;
  }
  const state = mkdtempSync(join(tmpdir(), "helloagents-deploy-k8s-"));
  const env = { ...process.env, K8S_STATE_DIR: state };
  cluster(["up"], env);
  project.provide("k8sStateDir", state);
  return () => cluster(["down"], env);
}

declare module "vitest" {
  export interface ProvidedContext {
    k8sStateDir: string;
  }
}
