// Tier 3: `lint` runs ruff, eslint and actionlint, and names what failed.
import { describe, expect, it } from "vitest"

import { imageRef } from "../../dagger/src/images.ts"
import { chainRunning, contentChain, execIndex, fromAddress, isSourcePath, oneLine, workdirAt } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()
const ACTIONLINT = ["/usr/local/bin/actionlint", "-color=false"]

describe("lint (tier 3)", () => {
  it("runs `ruff check .` and `ruff format --check .` in backend/ on the dependency layer", async () => {
    await h.run((m) => m.lint())
    for (const cmd of [["ruff", "check", "."], ["ruff", "format", "--check", "."]]) {
      const chain = chainRunning(h.engine, cmd)
      expect(fromAddress(chain)).toBe(imageRef("python"))
      expect(workdirAt(chain, execIndex(chain, cmd))).toBe("/src/backend")
    }
  })

  it("runs the frontend's eslint through `npm run lint`", async () => {
    await h.run((m) => m.lint())
    expect(fromAddress(chainRunning(h.engine, ["npm", "run", "lint"]))).toBe(imageRef("node"))
  })

  it("runs the pinned actionlint over .github/workflows", async () => {
    await h.run((m) => m.lint())
    const chain = chainRunning(h.engine, ACTIONLINT)
    expect(fromAddress(chain)).toBe(imageRef("actionlint"))
    const mount = chain.find((op) => op.field === "withDirectory" && op.args.path === "/repo/.github")
    expect(mount).toBeDefined()
    expect(isSourcePath(contentChain(h.engine, mount!), "directory", ".github")).toBe(true)
    expect(workdirAt(chain, execIndex(chain, ACTIONLINT))).toBe("/repo")
  })

  it("gives actionlint a /repo/.git to find its project by (the source has none; without it actionlint exits 3)", async () => {
    await h.run((m) => m.lint())
    const chain = chainRunning(h.engine, ACTIONLINT)
    const git = chain.findIndex((op) => op.field === "withDirectory" && op.args.path === "/repo/.git")
    expect(git, oneLine(h.engine, chain)).toBeGreaterThanOrEqual(0)
    expect(oneLine(h.engine, contentChain(h.engine, chain[git]!))).toBe("directory()")
    expect(git).toBeLessThan(execIndex(chain, ACTIONLINT))
  })

  it("fails naming each failing linter", async () => {
    h.engine.failExec({ matches: (a) => a.join(" ") === ACTIONLINT.join(" "), exitCode: 1, stdout: "ci.yml:3:5: unknown key" })
    h.engine.failExec({ matches: (a) => a.join(" ") === "ruff format --check .", exitCode: 1 })
    await expect(h.run((m) => m.lint())).rejects.toThrow(/^lint failed: ruff-format \(exit 1\), actionlint \(exit 1\)/)
  })
})
