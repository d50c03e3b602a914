/**
 * Run the built hello-ci (`node bin/hello-ci.js`, compiled once per run by the vitest globalSetup) as a subprocess,
 * as a user would. The environment is clean (PATH and HOME plus `options.env`), so nothing from the caller's
 * environment (GITHUB_*, proxies, NODE_OPTIONS) changes what a test sees, and names resolve without the network
 * (see loopback-only-dns.mjs).
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ciRoot, helloCiBin } from "./stack.js";

const dnsPreload = fileURLToPath(new URL("./loopback-only-dns.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function invocation(args: readonly string[], options: CliOptions) {
  return {
    argv: ["--import", dnsPreload, helloCiBin, ...args],
    cwd: options.cwd ?? ciRoot,
    // No ambient kubeconfig: a test that wants a cluster passes KUBECONFIG itself.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: "/nonexistent/kubeconfig", ...options.env },
  };
}

/** Run asynchronously: in-process test servers must keep answering while the CLI talks to them. */
export function runCli(args: readonly string[], options: CliOptions & { timeoutMs?: number } = {}): Promise<CliResult> {
  const { argv, cwd, env } = invocation(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run synchronously, for commands that read files only. */
export function runCliSync(args: readonly string[], options: CliOptions = {}): CliResult {
  const { argv, cwd, env } = invocation(args, options);
  const result = spawnSync(process.execPath, argv, { cwd, env, encoding: "utf8" });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parse --json output, with the whole output in the error when it is not JSON. */
export function json(result: CliResult): unknown {
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new Error(`hello-ci did not print JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
