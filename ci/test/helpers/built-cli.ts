/**
 * Run the BUILT hello-ci (`node bin/hello-ci.js`, after `npm run build`) as a subprocess, for e2e tests.
 * The build runs once per test run: under `flock` so parallel test files (and parallel test runs) never compile at once,
 * and skipped when dist/ is newer than every source file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ciRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = path.join(ciRoot, "bin", "hello-ci.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function builtIsFresh(): boolean {
  try {
    return statSync(path.join(ciRoot, "dist", "cli.js")).mtimeMs >= Math.max(newestMtime(path.join(ciRoot, "src")), statSync(path.join(ciRoot, "package.json")).mtimeMs);
  } catch {
    return false;
  }
}

export function ensureBuilt(): void {
  if (builtIsFresh()) return;
  const lock = path.join(ciRoot, "node_modules", ".hello-ci-build.lock");
  execFileSync("flock", [lock, "sh", "-c", "npm run build --silent"], { cwd: ciRoot, stdio: "inherit" });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? ciRoot,
    env: { PATH: process.env.PATH, ...options.env },
    encoding: "utf8",
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
