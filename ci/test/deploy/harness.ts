/**
 * Shared pieces of the deploy tests: the cluster (from cluster-setup.ts), a fresh namespace per test, an environments
 * file whose `test` environment deploys there with short timings, images by digest, and switchable proxies in front of
 * the real platform stack (PostgreSQL, Redis, backend, nginx), so a test decides when the preview or the public URLs
 * fail. The test cluster's pods (kwok) serve no HTTP: the routing itself is proven through the Services'
 * EndpointSlices, and the URLs point at these local processes.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { stringify } from "yaml";
import { createKube, type Kube, type KubeObject } from "../../src/kube/client.js";
import { loadKubeconfig } from "../../src/kube/kubeconfig.js";
import { runCli, type CliResult } from "../support/cli.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { ciRoot, helloCiBin, startStack, type Stack } from "../support/stack.js";
import { environmentBody } from "../support/test-environment.js";

const dnsPreload = fileURLToPath(new URL("../support/loopback-only-dns.mjs", import.meta.url));

export const stateDir = (): string => inject("k8sStateDir");
export const kubeconfigPath = (): string => join(stateDir(), "kubeconfig");

let kubeClient: Kube | undefined;
export function kube(): Kube {
  kubeClient ??= createKube(loadKubeconfig({ env: { KUBECONFIG: kubeconfigPath() } }), { timeoutMs: 10_000 });
  return kubeClient;
}

/** The last lines of a control-plane component's log under the cluster's state dir (for a failure's message). */
export function logTail(component: string, lines = 15): string {
  try {
    return readFileSync(join(stateDir(), "logs", `${component}.log`), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch (error) {
    return `(no log: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * A new namespace for one test (names stay unique across the run; the cluster is thrown away at the end). Returns once
 * its `default` ServiceAccount exists: until then the API server refuses pods there, and the Job and ReplicaSet
 * controllers back off for longer than a test's progress deadline (seen on a loaded machine).
 */
export async function newNamespace(prefix = "deploy"): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kube().create({ apiVersion: "v1", kind: "Namespace", metadata: { name } } as KubeObject);
  const deadline = Date.now() + 60_000;
  while (!(await kube().get({ apiVersion: "v1", kind: "ServiceAccount", namespace: name, name: "default" }))) {
    if (Date.now() > deadline) throw new Error(`namespace ${name} got no default ServiceAccount within 60 s; kube-controller-manager's log ends:\n${logTail("kube-controller-manager")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return name;
}

export const RUNTIME_KEYS = ["DATABASE_URL", "REDIS_URL", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"];

/** The runtime Secret with the given keys (values are throwaway test strings). */
export async function createRuntimeSecret(namespace: string, keys = RUNTIME_KEYS): Promise<void> {
  const stringData = Object.fromEntries(keys.map((k) => [k, `test-${k.toLowerCase()}`]));
  await kube().create({ apiVersion: "v1", kind: "Secret", metadata: { name: "helloagents-runtime", namespace }, type: "Opaque", stringData } as KubeObject);
}

/** `ghcr.io/helloagents/helloagents-<app>@sha256:…`, a different digest per version. */
export function digestRef(app: "backend" | "frontend", version: string): string {
  return `ghcr.io/helloagents/helloagents-${app}@sha256:${createHash("sha256").update(`${app}:${version}`).digest("hex")}`;
}

export function imageArgs(version: string): string[] {
  return ["--backend-image", digestRef("backend", version), "--frontend-image", digestRef("frontend", version)];
}

export interface Urls {
  /** Where the public URLs of the environment point (the bake's health checks). */
  public: string;
  /** Where the preview Services answer (the pre-switch smoke); without it, through the API server's service proxy. */
  preview?: string;
}

export interface TestEnvironment {
  namespace: string;
  /** Extra keys for the deploy section (deep-merged one level: apps, strategy). */
  deploy?: Record<string, unknown>;
  urls: Urls;
  name?: string;
}

const BASE_STRATEGY = {
  progressDeadline: "20s",
  bakeTime: "2s",
  probeInterval: "500ms",
  maxFailureRatio: 0.25,
  scaleDownDelay: "10m",
  historyLimit: 10,
  lockDuration: "6s",
  pollInterval: "250ms",
};

/** Write an environments file with one environment (`test` unless named) and return its path. */
export function writeConfig(dir: string, env: TestEnvironment): string {
  const extra = env.deploy ?? {};
  const deploy = {
    target: "kubernetes",
    namespace: env.namespace,
    images: { backend: "ghcr.io/helloagents/helloagents-backend", frontend: "ghcr.io/helloagents/helloagents-frontend" },
    apps: { backend: { replicas: 2 }, frontend: { replicas: 1 }, ...(extra.apps as object | undefined) },
    runtimeSecret: { name: "helloagents-runtime", keys: RUNTIME_KEYS },
    strategy: { ...BASE_STRATEGY, ...(extra.strategy as object | undefined) },
    preview: env.urls.preview ? { url: env.urls.preview } : {},
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "apps" && k !== "strategy")),
  };
  const config = {
    version: 1,
    environments: {
      [env.name ?? "test"]: { ...environmentBody(env.urls.public), deploy },
    },
  };
  const file = join(dir, `environments-${randomBytes(3).toString("hex")}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

/** Run hello-ci with the test cluster's kubeconfig. */
export function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { KUBECONFIG: kubeconfigPath(), ...env }, timeoutMs: 180_000 });
}

/**
 * Run hello-ci and watch its progress: `onLine` gets each stderr line as it comes (a test stops the API server when a
 * given step is reached).
 */
export function cliWatching(args: readonly string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", dnsPreload, helloCiBin, ...args], {
      cwd: ciRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: kubeconfigPath(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The parsed --json report of a run. */
export function reportOf(result: CliResult): { result: string; exitCode: number; reason: string; revision?: number; colour?: string; method?: string; live: { colour?: string; version?: string; halfSwitched: boolean; confirmed: boolean }; steps: Array<{ name: string; outcome: string; detail: string; durationMs: number }> } {
  try {
    return JSON.parse(result.stdout) as ReturnType<typeof reportOf>;
  } catch {
    throw new Error(`hello-ci printed no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

// ---- the real platform behind two proxies a test can break ---------------------------------------------------------

export interface Platform {
  stack: Stack;
  /** Where the preview Services "answer" (the pre-switch smoke). */
  preview: SwitchableProxy;
  /** Where the environment's public URLs point (the bake's health checks). */
  public: SwitchableProxy;
  urls(): Urls;
}

/**
 * For a test file: the real stack (PostgreSQL, Redis, backend, nginx with the built console) started once, with a
 * preview and a public proxy in front of it, both passing again before each test.
 */
export function usePlatform(): Platform {
  const platform = { urls: () => ({ public: platform.public.url, preview: platform.preview.url }) } as Platform;
  beforeAll(async () => {
    platform.stack = await startStack({ nginx: true });
    platform.preview = await startProxy(platform.stack.nginx!.url);
    platform.public = await startProxy(platform.stack.nginx!.url);
  });
  afterAll(async () => {
    await Promise.all([platform.preview?.stop(), platform.public?.stop()]);
    await platform.stack?.stop();
  });
  beforeEach(() => {
    if (platform.preview) platform.preview.mode = "pass";
    if (platform.public) platform.public.mode = "pass";
  });
  return platform;
}

// ---- a proxy a test can break -------------------------------------------------------------------------------------

export interface SwitchableProxy {
  url: string;
  /** `pass` forwards every request; `fail` answers 503; `fail-api` answers 503 under /api/ only. */
  mode: "pass" | "fail" | "fail-api";
  /** Requests seen, by path. */
  seen: string[];
  stop(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of `target` (the stack's nginx), forwarding bytes as they are. */
export async function startProxy(target: string): Promise<SwitchableProxy> {
  const to = new URL(target);
  const proxy: SwitchableProxy = { url: "", mode: "pass", seen: [], stop: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    proxy.seen.push(path);
    if (proxy.mode === "fail" || (proxy.mode === "fail-api" && path.startsWith("/api/"))) {
      res.writeHead(503, { "content-type": "application/json" }).end('{"status":"fail"}');
      return;
    }
    const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}

/** A local webhook receiver: the JSON bodies it got. */
export async function startWebhook(): Promise<{ url: string; messages: Array<{ text: string }>; stop(): Promise<void> }> {
  const messages: Array<{ text: string }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      messages.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret-token`,
    messages,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
