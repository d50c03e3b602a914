// The structure lint of dagger/src (run in the lint group by test/run-all.mjs): no import cycle, at most six parameters.
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { lintStructure } from "./structure.mjs"

describe("structure lint (dagger/src)", () => {
  it("finds no import cycle and no function over six parameters in the module", () => {
    expect(lintStructure(join(import.meta.dirname, "../../dagger/src"))).toEqual([])
  })

  it("reports a planted cycle and a seven-parameter function", () => {
    const findings = lintStructure(join(import.meta.dirname, "fixtures/structure"))
    expect(findings).toHaveLength(2)
    expect(findings.find((f) => f.startsWith("import cycle:"))).toMatch(/a\.ts → .*b\.ts → .*a\.ts/)
    expect(findings.find((f) => f.includes("wide"))).toMatch(/a\.ts:4: wide takes 7 parameters/)
  })
})
