/** vitest globalSetup: compile hello-ci once, so test/e2e runs the same bin/hello-ci.js a user runs. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ciRoot } from "./stack.js";

export default function setup(): void {
  const tsc = join(ciRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ciRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building hello-ci failed:\n${result.stdout}${result.stderr}`);
}
