// Tier 3: `test` runs its four stages concurrently and names every failure; `testReports` gathers every report.
import { describe, expect, it } from "vitest"

import { chainRunning, execIndex } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()
const fails = (cmd: string, exitCode: number, stdout = "") =>
  h.engine.failExec({ matches: (a) => a.join(" ") === cmd, exitCode, stdout })

describe("test (tier 3)", () => {
  it("runs backend tests, frontend lint, frontend tests and the frontend build concurrently", async () => {
    h.engine.delayLeaf("exitCode", 150)
    await h.run((m) => m.test())
    expect(h.engine.peakConcurrency("exitCode")).toBe(4)
    for (const cmd of [["python", "-m", "pytest"], ["npm", "run", "lint"], ["npm", "test"], ["npm", "run", "build"]]) {
      expect(() => chainRunning(h.engine, cmd)).not.toThrow()
    }
  })

  it("returns a short summary when everything passes", async () => {
    const summary = await h.run((m) => m.test())
    expect(summary).toContain("## test: all 4 stages passed")
    for (const stage of ["backend-test", "frontend-lint", "frontend-test", "frontend-build"]) expect(summary).toContain(`| ${stage} | passed |`)
  })

  it("fails naming every failed stage with its exit code, and only those", async () => {
    fails("python -m pytest", 1, "E   assert 503 == 200\n")
    fails("npm run lint", 1, "src/App.tsx 3:1 error no-unused-vars\n")
    const error = await h.run((m) => m.test()).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error).toBeInstanceOf(Error)
    expect(error!.message.split("\n")[0]).toBe("test failed: backend-test (exit 1), frontend-lint (exit 1)")
    expect(error!.message).toContain("2 of 4 stages failed")
    expect(error!.message).toContain("assert 503 == 200")
    expect(error!.message).toContain("| frontend-test | passed |")
  })

  it("still waits for the other stages when one fails early", async () => {
    fails("npm run build", 2)
    await expect(h.run((m) => m.test())).rejects.toThrow(/frontend-build \(exit 2\)/)
    expect(h.engine.requests.filter((r) => r.leaf.field === "exitCode")).toHaveLength(4)
  })
})

describe("testReports (tier 3)", () => {
  it("gathers backend JUnit + coverage XML and frontend JUnit + coverage from the test runs", async () => {
    const id = await h.run((m) => m.testReports().id())
    const chain = h.engine.resolve(id)
    expect(chain[0]).toEqual({ field: "directory", args: {} })
    const parts = chain.filter((op) => op.field === "withDirectory")
    expect(parts.map((op) => op.args.path)).toEqual(["backend", "frontend"])

    const backend = h.engine.resolve(String(parts[0]!.args.source))
    expect(execIndex(backend, ["python", "-m", "pytest"])).toBeGreaterThanOrEqual(0)
    expect(backend.slice(-2)).toEqual([
      { field: "directory", args: { path: "/src/backend/reports" } },
      { field: "filter", args: { include: ["junit.xml", "coverage.xml"] } },
    ])

    const frontend = h.engine.resolve(String(parts[1]!.args.source))
    expect(execIndex(frontend, ["npm", "test"])).toBeGreaterThanOrEqual(0)
    expect(frontend.at(-1)).toEqual({
      field: "filter",
      args: { include: ["reports/junit.xml", "coverage/cobertura-coverage.xml", "coverage/lcov.info"] },
    })
  })

  it("keeps the reports of a failed run (the test execs tolerate a non-zero exit)", async () => {
    fails("python -m pytest", 1)
    fails("npm test", 1)
    await expect(h.run((m) => m.testReports().sync())).resolves.toBeDefined()
  })
})
