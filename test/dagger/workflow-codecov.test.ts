// ci.yml uploads coverage to Codecov: the files its steps name must be coverage files that `test-reports export
// --path reports` really writes (read from the module's own graph, tier 3), one upload per app with its flag, the token
// only from secrets, and both uploads skipped when the secret is absent (forks).
import { readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"
import { parse } from "yaml"

import { useFakeEngine } from "./support/module.ts"

interface Step { id?: string; name?: string; if?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string | boolean> }

const ROOT = join(import.meta.dirname, "../..")
const ci = parse(readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> }
const steps = ci.jobs["check"]!.steps
const uploads = steps.filter((s) => s.uses?.startsWith("codecov/codecov-action@"))
const exportStep = steps.find((s) => typeof s.with?.["call"] === "string" && String(s.with["call"]).startsWith("test-reports export"))

const h = useFakeEngine()

/** Every path `test-reports` exports, relative to its directory: `<app>/<include pattern>` from the module's graph. */
async function exportedPaths(): Promise<string[]> {
  const chain = h.engine.resolve(await h.run((m) => m.testReports().id()))
  return chain
    .filter((op) => op.field === "withDirectory")
    .flatMap((op) => {
      const filter = h.engine.resolve(String(op.args.source)).at(-1)
      expect(filter?.field, `${String(op.args.path)} is filtered to named files`).toBe("filter")
      return (filter!.args.include as string[]).map((file) => `${String(op.args.path)}/${file}`)
    })
}

describe("ci.yml: coverage to Codecov", () => {
  it("uploads once per app, after the reports are exported, with its flag and without searching for other files", () => {
    expect(uploads.map((s) => s.with?.["flags"])).toEqual(["backend", "frontend"])
    expect(exportStep, "the check job exports test-reports").toBeDefined()
    for (const upload of uploads) {
      expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(exportStep!))
      expect(upload.with).toMatchObject({ disable_search: true, token: "${{ secrets.CODECOV_TOKEN }}" })
      expect(upload.uses).toMatch(/^codecov\/codecov-action@[0-9a-f]{40}$/)
    }
  })

  it("names only coverage files that `test-reports export --path reports` writes, each under its app", async () => {
    const exportPath = /--path\s+(\S+)/.exec(String(exportStep!.with!["call"]))?.[1]
    expect(exportPath).toBe("reports")
    const exported = (await exportedPaths()).map((p) => `${exportPath}/${p}`)
    expect(exported).toContain("reports/backend/coverage.xml")
    for (const upload of uploads) {
      const files = String(upload.with!["files"]).split(",").map((f) => f.trim())
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        expect(exported, `${String(upload.name)}: ${file}`).toContain(file)
        expect(file).toMatch(/coverage/)
        expect(file.startsWith(`reports/${String(upload.with!["flags"])}/`), `${file} belongs to ${String(upload.with!["flags"])}`).toBe(true)
      }
    }
  })

  it("skips both uploads cleanly when CODECOV_TOKEN is absent, reading the secret only where it is needed", () => {
    const gate = steps.find((s) => s.id === "codecov")
    expect(gate?.env).toEqual({ CODECOV_TOKEN: "${{ secrets.CODECOV_TOKEN }}" })
    expect(gate?.run).toMatch(/-n "\$CODECOV_TOKEN"/)
    for (const upload of uploads) expect(upload.if).toContain("steps.codecov.outputs.upload == 'true'")
    const readers = steps.filter((s) => JSON.stringify(s).includes("secrets.CODECOV_TOKEN"))
    expect(readers).toEqual([gate, ...uploads])
  })

  it("fixes the container paths (/src/<app>/…) to repository paths in .github/codecov.yml, with a flag per app", () => {
    const config = parse(readFileSync(join(ROOT, ".github/codecov.yml"), "utf8")) as { fixes: string[]; flags: Record<string, { paths: string[] }> }
    expect(config.fixes).toContain("/src/::")
    expect(Object.keys(config.flags).sort()).toEqual(uploads.map((s) => String(s.with!["flags"])).sort())
    for (const [flag, { paths }] of Object.entries(config.flags)) expect(paths).toEqual([`${flag}/`])
  })
})
