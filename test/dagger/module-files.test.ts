// The module's own files, as the 0.21 TypeScript runtime expects them.
import { readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "../..")
const read = (p: string) => readFileSync(join(root, p), "utf8")
const json = (p: string) => JSON.parse(read(p)) as Record<string, any>

describe("dagger/ module files", () => {
  it("dagger.json names the module, its source dir and the pinned engine", () => {
    expect(json("dagger.json")).toMatchObject({ name: "helloagents", engineVersion: "v0.21.9", source: "dagger", sdk: { source: "typescript" } })
  })

  it("has no runtime dependency beyond the TypeScript the runtime expects, and a pinned package manager", () => {
    const pkg = json("dagger/package.json")
    expect(pkg.type).toBe("module")
    expect(pkg.packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/)
    expect(pkg.dependencies).toEqual({ typescript: "5.9.3" })
    expect(pkg.devDependencies).toBeUndefined()
    const lock = json("dagger/package-lock.json")
    expect(Object.keys(lock.packages).filter((k) => k !== "")).toEqual(["node_modules/typescript"])
  })

  it("keeps the generated tsconfig settings the runtime re-applies", () => {
    const { compilerOptions } = json("dagger/tsconfig.json")
    expect(compilerOptions).toMatchObject({
      experimentalDecorators: true,
      moduleResolution: "Node",
      paths: { "@dagger.io/dagger": ["./sdk/index.ts"], "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"] },
    })
  })

  it("ignores the generated SDK and node_modules, and marks sdk/ as generated", () => {
    expect(read("dagger/.gitignore").split("\n")).toEqual(expect.arrayContaining(["/sdk", "/**/node_modules/**"]))
    expect(read("dagger/.gitattributes")).toContain("/sdk/** linguist-generated")
  })

  it("keeps the SDK pin at the repo root, exact, matching the CLI version", () => {
    expect(json("package.json").devDependencies["@dagger.io/dagger"]).toBe("0.21.9")
  })
})
