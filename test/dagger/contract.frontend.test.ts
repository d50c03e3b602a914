// Tier 3: what the frontend stage asks the engine for.
import { describe, expect, it } from "vitest"

import { CACHE_NAMES, CACHE_PATHS } from "../../dagger/src/caches.ts"
import { imageRef } from "../../dagger/src/images.ts"
import { FILE_OPS, argChain, chainRunning, contentChain, execIndex, findOp, fromAddress, isSourcePath, oneLine, workdirAt } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()
const NPM_CI = ["npm", "ci", "--no-audit"]

describe("frontend stage (tier 3)", () => {
  it.each([
    ["frontendLint", ["npm", "run", "lint"]],
    ["frontendTest", ["npm", "test"]],
    ["frontendBuild", ["npm", "run", "build"]],
  ] as const)("%s runs the app's own script on the pinned Node image after `npm ci`", async (name, script) => {
    await h.run((m) => m[name]())
    const chain = chainRunning(h.engine, script)
    expect(fromAddress(chain)).toBe(imageRef("node"))
    const run = execIndex(chain, script)
    expect(workdirAt(chain, run)).toBe("/src/frontend")
    expect(execIndex(chain, NPM_CI)).toBeGreaterThanOrEqual(0)
    expect(execIndex(chain, NPM_CI)).toBeLessThan(run)
  })

  it("installs from package.json and the lockfile alone, with the npm cache mounted, then adds the source", async () => {
    await h.run((m) => m.frontendTest())
    const chain = chainRunning(h.engine, ["npm", "test"])
    const install = execIndex(chain, NPM_CI)
    const before = chain.slice(0, install).filter((op) => FILE_OPS.has(op.field))
    expect(before.map((op) => oneLine(h.engine, contentChain(h.engine, op)))).toEqual([
      '<arg>(name: "source") → file(path: "frontend/package.json")',
      '<arg>(name: "source") → file(path: "frontend/package-lock.json")',
    ])
    const mount = findOp(chain, "withMountedCache", (op) => op.args.path === CACHE_PATHS.npm, install)
    expect(mount).toBeGreaterThanOrEqual(0)
    expect(argChain(h.engine, chain[mount]!, "cache")).toEqual([{ field: "cacheVolume", args: { key: CACHE_NAMES.npm } }])
    const copy = chain.findIndex((op) => op.field === "withDirectory" && isSourcePath(contentChain(h.engine, op), "directory", "frontend"))
    expect(copy).toBeGreaterThan(install)
  })

  it("frontendBuild returns the dist directory of the build run", async () => {
    const id = await h.run(async (m) => (await m.frontendBuild()).id())
    const chain = h.engine.resolve(id)
    expect(chain.at(-1)).toEqual({ field: "directory", args: { path: "/src/frontend/dist" } })
    expect(execIndex(chain, ["npm", "run", "build"])).toBeGreaterThanOrEqual(0)
  })

  it("fails frontendBuild when the build exits non-zero", async () => {
    h.engine.failExec({ matches: (a) => a.join(" ") === "npm run build", exitCode: 2, stderr: "error TS2322" })
    await expect(h.run((m) => m.frontendBuild())).rejects.toThrow(/frontend-build failed \(exit 2\)/)
  })
})
