/**
 * vitest globalSetup for test/ecs, once for the whole run and stopped by PID at the end:
 *   - moto in server mode (the venv .ci/setup installs from requirements-moto.txt) on a free loopback port: it serves
 *     the ECS task-definition and service calls and the SSM parameters for real over HTTP; endpoint.ts scripts what
 *     moto does not implement;
 *   - the real platform stack (PostgreSQL, Redis, backend, nginx with the built console) that the test listener and
 *     public URLs of the test environments point at, through proxies each test file starts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startStack, stopPid } from "../support/stack.js";

export const MOTO_VENV = process.env.HELLOAGENTS_MOTO_VENV ?? join(homedir(), ".cache", "helloagents", "moto-venv");

async function ready(url: string, pid: number, log: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/moto-api/`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not start on ${url}:\n${readFileSync(log, "utf8").slice(-2000)}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const python = join(MOTO_VENV, "bin", "python");
  if (!existsSync(python)) throw new Error(`moto is not installed at ${MOTO_VENV}: run npm run setup (bash .ci/setup)`);
  const port = await freePort();
  const log = join(mkdtempSync(join(tmpdir(), "helloagents-moto-")), "moto.log");
  const out = openSync(log, "a");
  const child = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", out, out], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const url = `http://127.0.0.1:${port}`;
  const [stack] = await Promise.all([startStack({ nginx: true }), ready(url, child.pid!, log)]).catch(async (error: unknown) => {
    await stopPid(child.pid!);
    throw error;
  });
  project.provide("motoUrl", url);
  project.provide("stackUrl", stack.nginx!.url);
  return async () => {
    await Promise.all([stopPid(child.pid!), stack.stop()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    motoUrl: string;
    /** The platform stack's nginx (the console, /api proxied to the backend). */
    stackUrl: string;
  }
}
