// Tier 1: dagger/src type-checks against exactly what the engine's generated sdk/index.ts exports at 0.21.
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "../..")
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc", { paths: [root] })

function typecheck(project: string) {
  const run = spawnSync(process.execPath, [tsc, "-p", join(import.meta.dirname, project), "--pretty", "false"], {
    cwd: root,
    encoding: "utf8",
  })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

describe("shim type-check (tier 1)", () => {
  it("accepts dagger/src under the generated 0.21 tsconfig with @dagger.io/dagger mapped to the sdk shim", () => {
    const { status, output } = typecheck("tsconfig.shim.json")
    expect(output).toBe("")
    expect(status).toBe(0)
  })

  it("rejects names the 0.21 module bundle does not export (up, ExecError), which the npm package has", () => {
    const { status, output } = typecheck("tsconfig.shim-negative.json")
    expect(status).not.toBe(0)
    expect(output).toContain("TS2305") // ExecError
    expect(output).toContain("TS2724") // up
  })

  it("uses the TypeScript the module runtime installs (5.9.3)", () => {
    const pkg = createRequire(import.meta.url)(join(root, "node_modules/typescript/package.json")) as { version: string }
    expect(pkg.version).toBe("5.9.3")
  })
})
