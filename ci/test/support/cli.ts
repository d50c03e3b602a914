/** Run the built hello-ci as a subprocess (asynchronously: in-process test servers must keep answering). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { helloCiBin } from "./stack.js";

/** Every CLI subprocess resolves names without the network (see loopback-only-dns.mjs). */
const dnsPreload = fileURLToPath(new URL("./loopback-only-dns.mjs", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", dnsPreload, helloCiBin, ...args], { cwd: options.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
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

/** Parse --json output, with the whole output in the error when it is not JSON. */
export function json(result: CliResult): unknown {
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new Error(`hello-ci did not print JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
