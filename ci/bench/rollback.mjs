#!/usr/bin/env node
/**
 * npm run bench:rollback (in ci/): how long `hello-ci rollback` takes until the previous version serves again, on the
 * real control plane of ci/test/k8s, for
 *   - the flip path (the old colour still runs: only the active Services' selectors move), and
 *   - the redeploy path (the old colour was scaled down: apply, wait for ready, preview smoke, switch),
 * next to a plain `kubectl rollout undo` of a Deployment (what the guide's rollback.sh does), timed until
 * `kubectl rollout status` returns. "Serving again" is the end of the `switch` step: the active Services' EndpointSlices
 * hold exactly the old version's ready pods. Prints a table and one JSON line; asserts nothing.
 *
 * The cluster's pods are kwok's: ready as soon as scheduled, no image pull, no probe delay. Redeploy-style numbers here
 * are therefore a lower bound (a real cluster adds pulls and readiness probes); the flip does not depend on pods at all.
 * The app's URLs (preview smoke, bake health) point at a small stand-in server on 127.0.0.1.
 *   K8S_STATE_DIR=<dir of a running cluster.sh up> reuses that cluster; otherwise one is started and stopped.
 *   BENCH_RUNS=5 sets the number of runs per path.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startPlatformStandin } from "../test/support/platform-standin.mjs";

const ci = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cluster = join(ci, "test/k8s/cluster.sh");
const bin = join(ci, "bin/hello-ci.js");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "bench-rollback-"));

let state = process.env.K8S_STATE_DIR;
const ownCluster = !state;
if (ownCluster) state = join(work, "cluster");
const env = { ...process.env, K8S_STATE_DIR: state, KUBECONFIG: join(state, "kubeconfig") };

function sh(cmd, args, options = {}) {
  const run = spawnSync(cmd, args, { env, encoding: "utf8", ...options });
  if (run.status !== 0 && !options.allowFail) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run;
}

// ---- a stand-in for the platform's HTTP surface (what the smoke suite and the health checks read) -------------------
const { url, stop } = await startPlatformStandin();

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Run a command without blocking this process (the stand-in server must keep answering). */
function exec(cmd, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** Run hello-ci with --json; return its report, the wall time, and the time until the switch step was done. */
async function helloCi(args) {
  const started = process.hrtime.bigint();
  const run = await exec(process.execPath, [bin, ...args, "--json"]);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`hello-ci ${args[0]} printed no report (exit ${run.status}): ${run.stderr}`);
  }
  if (report.result !== "deployed") throw new Error(`hello-ci ${args[0]} ended ${report.result}: ${report.reason}`);
  const upTo = report.steps.findIndex((s) => s.name === "switch");
  const servingMs = report.steps.slice(0, upTo + 1).reduce((sum, s) => sum + s.durationMs, 0);
  return { report, wallMs, servingMs };
}

try {
  if (ownCluster) sh("bash", [cluster, "up"], { stdio: ["ignore", "inherit", "inherit"] });
  sh("npm", ["run", "--silent", "build"], { cwd: ci });
  const namespace = `bench-${Date.now().toString(36)}`;
  sh("kubectl", ["create", "namespace", namespace]);
  sh("kubectl", ["-n", namespace, "create", "secret", "generic", "helloagents-runtime", ...["DATABASE_URL", "REDIS_URL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"].map((k) => `--from-literal=${k}=bench`)]);
  const config = join(work, "environments.yaml");
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      environments: {
        bench: {
          urls: { frontend: url, backend: `${url}/api` },
          health: { samples: 1, checks: [{ name: "api", target: "backend", path: "/health" }, { name: "console", target: "frontend", path: "/health" }] },
          deploy: {
            target: "kubernetes",
            namespace,
            images: { backend: "ghcr.io/helloagents/helloagents-backend", frontend: "ghcr.io/helloagents/helloagents-frontend" },
            apps: { backend: { replicas: 2 }, frontend: { replicas: 2 } },
            runtimeSecret: { name: "helloagents-runtime", keys: ["DATABASE_URL", "REDIS_URL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"] },
            strategy: { progressDeadline: "60s", bakeTime: "0s", probeInterval: "250ms", scaleDownDelay: "10m", lockDuration: "20s", pollInterval: "250ms" },
            preview: { url },
          },
        },
      },
    }),
  );
  const common = ["--env", "bench", "--config", config];
  const digest = (app, v) => `ghcr.io/helloagents/helloagents-${app}@sha256:${Buffer.from(`${app}-${v}`).toString("hex").padEnd(64, "0").slice(0, 64)}`;
  for (const v of ["v1.0.0", "v2.0.0"]) await helloCi(["deploy", ...common, "--version", v, "--backend-image", digest("backend", v), "--frontend-image", digest("frontend", v)]);

  const flips = [];
  for (let i = 0; i < runs; i++) {
    const r = await helloCi(["rollback", ...common]);
    if (r.report.method !== "flip") throw new Error(`expected a flip, got ${r.report.method}`);
    flips.push(r);
  }
  const redeploys = [];
  for (let i = 0; i < runs; i++) {
    await exec(process.execPath, [bin, "scale-down", ...common, "--now"]);
    const r = await helloCi(["rollback", ...common]);
    if (r.report.method !== "redeploy") throw new Error(`expected a redeploy, got ${r.report.method}`);
    redeploys.push(r);
  }
  // The guide's way: kubectl rollout undo of a plain Deployment, until rollout status says it is done.
  const undo = [];
  sh("kubectl", ["-n", namespace, "create", "deployment", "plain", "--image=registry.example/plain:v1", "--replicas=2"]);
  sh("kubectl", ["-n", namespace, "rollout", "status", "deployment/plain", "--timeout=60s"]);
  for (let i = 0; i < runs; i++) {
    sh("kubectl", ["-n", namespace, "set", "image", "deployment/plain", `plain=registry.example/plain:v${i + 2}`]);
    sh("kubectl", ["-n", namespace, "rollout", "status", "deployment/plain", "--timeout=60s"]);
    const started = process.hrtime.bigint();
    sh("kubectl", ["-n", namespace, "rollout", "undo", "deployment/plain"]);
    sh("kubectl", ["-n", namespace, "rollout", "status", "deployment/plain", "--timeout=60s"]);
    undo.push(Number(process.hrtime.bigint() - started) / 1e6);
  }

  const row = (name, serving, wall) => `${name.padEnd(38)} ${(median(serving) / 1000).toFixed(2).padStart(8)} s ${wall ? `${(median(wall) / 1000).toFixed(2).padStart(10)} s` : "".padStart(12)}`;
  console.log(`rollback on the ci/test/k8s control plane (kwok pods), median of ${runs} runs`);
  console.log(`${"path".padEnd(38)} ${"serving again".padStart(10)} ${"whole command".padStart(12)}`);
  console.log(row("hello-ci rollback, flip", flips.map((r) => r.servingMs), flips.map((r) => r.wallMs)));
  console.log(row("hello-ci rollback, redeploy", redeploys.map((r) => r.servingMs), redeploys.map((r) => r.wallMs)));
  console.log(row("kubectl rollout undo + rollout status", undo));
  console.log(
    JSON.stringify({
      runs,
      flipServingMs: median(flips.map((r) => r.servingMs)),
      flipWallMs: median(flips.map((r) => r.wallMs)),
      redeployServingMs: median(redeploys.map((r) => r.servingMs)),
      redeployWallMs: median(redeploys.map((r) => r.wallMs)),
      kubectlUndoMs: median(undo),
    }),
  );
} finally {
  await stop();
  if (ownCluster) sh("bash", [cluster, "down"], { allowFail: true, stdio: ["ignore", "inherit", "inherit"] });
  rmSync(work, { recursive: true, force: true });
}
