/**
 * The real supply-chain tools (Syft, Trivy, cosign), built from the Go module proxy by test/tools/build-tools.sh into a
 * cache outside the repository. A cached build is reused; otherwise the tools are built here (slow: see docs/release.md).
 */
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { ciRoot } from "./stack.js";

export interface Tools {
  syft: string;
  trivy: string;
  cosign: string;
  /** A Trivy cache dir holding a vulnerability DB loaded from Trivy's own test advisories. */
  trivyDb: string;
  /** The trivy module's integration/testdata (the repositories its report goldens scanned). */
  trivyTestdata: string;
}

export function buildTools(): Tools {
  const out = execFileSync("bash", [path.join(ciRoot, "test/tools/build-tools.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const found = new Map(out.trim().split("\n").map((line) => line.split(" ", 2) as [string, string]));
  const get = (name: string): string => {
    const value = found.get(name);
    if (value === undefined) throw new Error(`build-tools.sh printed no ${name} line:\n${out}`);
    return value;
  };
  return { syft: get("syft"), trivy: get("trivy"), cosign: get("cosign"), trivyDb: get("trivy-db"), trivyTestdata: get("trivy-testdata") };
}

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a tool with a clean environment: no update checks, no telemetry, no network lookups it can avoid. */
export function runTool(binary: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): ToolRun {
  const result = spawnSync(binary, args, {
    cwd: options.cwd ?? ciRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SYFT_CHECK_FOR_APP_UPDATE: "false",
      TRIVY_DISABLE_TELEMETRY: "true",
      TRIVY_SKIP_VERSION_CHECK: "true",
      ...options.env,
    },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
