// Tier 3: the hello-ci toolkit container, the standalone scan and sbom functions, health checks and smoke tests.
import { describe, expect, it } from "vitest"

import { CACHE_NAMES, CACHE_PATHS } from "../../dagger/src/caches.ts"
import { imageRef } from "../../dagger/src/images.ts"
import { Severity } from "../../dagger/src/scan-policy.ts"
import { call } from "./support/call.ts"
import { FILE_OPS, argChain, chainRunning, contentChain, envAt, execIndex, findOp, fromAddress, oneLine } from "./support/chains.ts"
import type { Chain } from "./support/fake-engine.ts"
import type { Directory } from "@dagger.io/dagger"
import { useFakeEngine } from "./support/module.ts"
import { installReleaseFakes, lastExec } from "./support/release-fakes.ts"

const h = useFakeEngine()
const CLI = ["node", "/opt/hello-ci/bin/hello-ci.js"]
const execsOf = (word: string) => h.engine.chains().filter((c) => lastExec(c).slice(0, 3).join(" ") === `${CLI.join(" ")} ${word}`)

describe("toolkit (tier 3)", () => {
  async function toolkitChain(): Promise<Chain> {
    const id = await h.run((m) => m.toolkit().id())
    return h.engine.resolve(id)
  }

  it("builds ci/ on the pinned Node image: lockfile-keyed npm ci with the npm cache, then tsc, before the source lands", async () => {
    await toolkitChain()
    const build = chainRunning(h.engine, ["npm", "run", "build"])
    expect(fromAddress(build)).toBe(imageRef("node"))
    const install = execIndex(build, ["npm", "ci", "--no-audit"])
    const before = build.slice(0, install).filter((op) => FILE_OPS.has(op.field))
    expect(before.map((op) => oneLine(h.engine, contentChain(h.engine, op)))).toEqual([
      '<arg>(name: "source") → file(path: "ci/package.json")',
      '<arg>(name: "source") → file(path: "ci/package-lock.json")',
    ])
    const cache = build[findOp(build, "withMountedCache", (op) => op.args.path === CACHE_PATHS.npm, install)]!
    expect(argChain(h.engine, cache, "cache")).toEqual([{ field: "cacheVolume", args: { key: CACHE_NAMES.npm } }])
    const copy = build.findIndex((op) => op.field === "withDirectory" && op.args.path === "/opt/hello-ci")
    expect(copy).toBeGreaterThan(install)
    expect(build[copy]!.args.exclude).toEqual(["node_modules", "dist"])
  })

  it("ships only dist, bin, config, json-schemas, package.json and production node_modules, with no entrypoint", async () => {
    const chain = await toolkitChain()
    expect(fromAddress(chain)).toBe(imageRef("node"))
    const paths = chain.filter((op) => op.field === "withDirectory" || op.field === "withFile").map((op) => String(op.args.path))
    expect(paths).toEqual(["/opt/hello-ci/bin", "/opt/hello-ci/dist", "/opt/hello-ci/config", "/opt/hello-ci/json-schemas", "/opt/hello-ci/package.json", "/opt/hello-ci/node_modules"])
    const modules = argChain(h.engine, chain.find((op) => op.args.path === "/opt/hello-ci/node_modules")!, "source")
    expect(execIndex(modules, ["npm", "ci", "--omit=dev", "--no-audit"])).toBeGreaterThanOrEqual(0)
    expect(modules.some((op) => op.field === "withDirectory")).toBe(false) // keyed on the manifests alone
    expect(chain.find((op) => op.field === "withEntrypoint")?.args.args).toEqual([])
  })
})

describe("scan and sbom functions (tier 3)", () => {
  it("scan returns the reports with the gate's files even when the gate blocks", async () => {
    installReleaseFakes(h.engine, { block: 2 })
    const id = await h.run(async (m) => (await call<Directory>(m.withScanPolicy([Severity.Critical], true), "scan", { platforms: ["linux/arm64"] })).id())
    const dir = h.engine.resolve(id)
    expect(dir.filter((op) => op.field === "withFile").map((op) => op.args.path)).toEqual(["scan-summary.md", "scan-gate.json"])
    const gate = execsOf("scan-gate")[0]!
    expect(lastExec(gate)).toEqual(expect.arrayContaining(["--severity", "CRITICAL", "--ignore-unfixed", "--summary", "/out/scan-summary.md"]))
    expect(gate.at(-1)!.args).toMatchObject({ expect: "ANY", redirectStdout: "/out/scan-gate.json" })
  })

  it("scan fails naming scan-gate when it could not read the reports (exit 2)", async () => {
    h.engine.failExec({ matches: (a) => a.includes("scan-gate"), exitCode: 2, stderr: "report is truncated" })
    await expect(h.run((m) => call(m, "scan", { platforms: ["linux/amd64"] }))).rejects.toThrow(/scan-gate could not decide \(exit 2\)/)
  })

  it("sbom writes CycloneDX and SPDX JSON per variant with the pinned Trivy and checks each with sbom-check", async () => {
    await h.run(async (m) => (await call<Directory>(m, "sbom")).id())
    const gens = h.engine.chains().filter((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[]).includes("cyclonedx")))
    for (const chain of gens) expect(fromAddress(chain)).toBe(imageRef("trivy"))
    const outputs = new Set(h.engine.chains().flatMap((c) => c.filter((op) => op.field === "withExec" && (op.args.args as string[])[0] === "trivy").map((op) => (op.args.args as string[]).at(-1))))
    for (const app of ["backend", "frontend"]) for (const arch of ["amd64", "arm64"]) for (const ext of ["cdx.json", "spdx.json"]) {
      expect(outputs).toContain(`/out/helloagents-${app}-linux-${arch}.${ext}`)
    }
    const checked = new Set(execsOf("sbom-check").map((c) => lastExec(c)[4]))
    expect(checked.size).toBe(8)
  })

  it("sbom fails naming the invalid SBOM and its first schema error", async () => {
    h.engine.failExec({
      matches: (a) => a.includes("sbom-check") && a.some((x) => x.endsWith("arm64.spdx.json")),
      exitCode: 1,
      stderr: "hello-ci: sbom-check: /sbom/helloagents-backend-linux-arm64.spdx.json is not valid SPDX 2.3: /packages/0: must have SPDXID",
    })
    await expect(h.run((m) => call(m, "sbom"))).rejects.toThrow(/helloagents-(backend|frontend)-linux-arm64\.spdx\.json is not valid SPDX 2\.3: \/packages\/0: must have SPDXID/)
  })
})

describe("health-check and smoke (tier 3)", () => {
  it("runs health-check for an environment, uncached, and returns the report", async () => {
    await h.run((m) => call(m, "healthCheck", { env: "staging" }))
    const chain = execsOf("health-check")[0]!
    expect(lastExec(chain).slice(2)).toEqual(["health-check", "--env", "staging", "--json", "--report", "/out/report.md"])
    expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-/)
    expect(chain.at(-1)!.args.expect).toBe("ANY")
  })

  it("runs health-check against ad-hoc URLs and fails with the report on exit 1", async () => {
    h.engine.failExec({ matches: (a) => a.includes("health-check"), exitCode: 1 })
    await expect(h.run((m) => call(m, "healthCheck", { url: ["https://a.example/health", "https://b.example/health"] }))).rejects.toThrow(/health-check failed \(exit 1\)/)
    expect(lastExec(execsOf("health-check")[0]!).slice(2, 6)).toEqual(["health-check", "--url", "https://a.example/health", "https://b.example/health"])
  })

  it("refuses both or neither of --url and --env", async () => {
    await expect(h.run((m) => call(m, "healthCheck"))).rejects.toThrow(/either --url/)
    await expect(h.run((m) => call(m, "healthCheck", { url: ["https://a.example"], env: "production" }))).rejects.toThrow(/either --url/)
  })

  it("smoke passes --write only when asked", async () => {
    await h.run((m) => call(m, "smoke", { url: "https://staging.helloagents.example" }))
    await h.run((m) => call(m, "smoke", { url: "https://staging.helloagents.example", write: true }))
    const runs = execsOf("smoke").map((c) => lastExec(c).slice(2).join(" "))
    expect(new Set(runs)).toEqual(new Set([
      "smoke --url https://staging.helloagents.example --json --report /out/report.md",
      "smoke --url https://staging.helloagents.example --write --json --report /out/report.md",
    ]))
  })

  it("smoke-images runs the built images as frontend → backend → db/redis services and smoke-tests them with writes", async () => {
    await h.run((m) => call(m, "smokeImages", { platform: "linux/arm64" }))
    const chain = execsOf("smoke")[0]!
    expect(lastExec(chain).slice(2, 6)).toEqual(["smoke", "--url", "http://frontend:8080", "--write"])
    const frontend = argChain(h.engine, chain[findOp(chain, "withServiceBinding", (op) => op.args.alias === "frontend")]!, "service")
    expect(frontend.find((op) => op.field === "dockerBuild")?.args.platform).toBe("linux/arm64")
    expect(envAt(frontend).BACKEND_UPSTREAM).toBe("backend:8000")
    const backend = argChain(h.engine, frontend[findOp(frontend, "withServiceBinding", (op) => op.args.alias === "backend")]!, "service")
    expect(backend[findOp(backend, "dockerBuild")]!.args.platform).toBe("linux/arm64")
    expect(envAt(backend)).toMatchObject({ ENVIRONMENT: "staging", RUN_MIGRATIONS: "1" })
    const db = argChain(h.engine, backend[findOp(backend, "withServiceBinding", (op) => op.args.alias === "db")]!, "service")
    const redis = argChain(h.engine, backend[findOp(backend, "withServiceBinding", (op) => op.args.alias === "redis")]!, "service")
    expect(fromAddress(db)).toBe(imageRef("postgres"))
    expect(fromAddress(redis)).toBe(imageRef("redis"))
  })
})
