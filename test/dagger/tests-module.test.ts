// The real-engine test module (dagger/tests): it cannot run here, so prove what can be proven offline. It is laid out as
// a 0.21 module that depends on this one, it type-checks against the module bundle plus bindings generated from this
// module's surface (and those bindings are current), and `all` runs every test function it declares.
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { BINDINGS_PATH, renderBindings } from "./bindings.mjs"
import { moduleFiles, scanModule } from "./support/surface.mjs"

const root = join(import.meta.dirname, "../..")
const read = (p: string) => readFileSync(join(root, p), "utf8")
const json = (p: string) => JSON.parse(read(p)) as Record<string, any>
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc", { paths: [root] })

type Scanned = { objects: Record<string, { methods: Record<string, { name: string; description: string; arguments: Record<string, unknown> }> }> }

describe("dagger/tests: the real-engine test module", () => {
  it("is a 0.21 TypeScript module that depends on this repository's module, with no runtime npm dependency", () => {
    expect(json("dagger/tests/dagger.json")).toMatchObject({
      name: "helloagents-tests",
      engineVersion: json("dagger.json").engineVersion,
      sdk: { source: "typescript" },
      source: ".",
      dependencies: [{ name: "helloagents", source: "../.." }],
    })
    expect(json("dagger/tests/package.json")).toEqual(json("dagger/package.json"))
    expect(Object.keys(json("dagger/tests/package-lock.json").packages).filter((k) => k !== "")).toEqual(["node_modules/typescript"])
    expect(json("dagger/tests/tsconfig.json")).toEqual(json("dagger/tsconfig.json"))
    expect(read("dagger/tests/.gitignore").split("\n")).toEqual(expect.arrayContaining(["/sdk", "/**/node_modules/**"]))
  })

  it("has offline bindings that match this module's current surface (regenerate: node test/dagger/bindings.mjs --write)", async () => {
    expect(readFileSync(BINDINGS_PATH, "utf8")).toBe(await renderBindings())
  }, 60_000)

  it("type-checks against the 0.21 module bundle plus those bindings", () => {
    const run = spawnSync(process.execPath, [tsc, "-p", join(import.meta.dirname, "tsconfig.tests-shim.json"), "--pretty", "false"], { cwd: root, encoding: "utf8" })
    expect(`${run.stdout}${run.stderr}`).toBe("")
    expect(run.status).toBe(0)
  })

  it("exposes documented, argument-free test functions, and `all` runs every one of them", async () => {
    const scanned = (await scanModule(moduleFiles(join(root, "dagger/tests/src")), "helloagents-tests")) as Scanned
    const main = scanned.objects.HelloagentsTests!
    const names = Object.keys(main.methods)
    expect(names[0]).toBe("all")
    for (const fn of Object.values(main.methods)) {
      expect(fn.description, fn.name).toMatch(/^[A-Z][a-z]+ /)
      expect(Object.keys(fn.arguments ?? {}), fn.name).toEqual([])
    }
    const source = read("dagger/tests/src/index.ts")
    const runByAll = [...source.matchAll(/\(\) => this\.(\w+)\(\)/g)].map((m) => m[1])
    expect(runByAll.sort()).toEqual(names.filter((n) => n !== "all").sort())
  }, 60_000)
})
