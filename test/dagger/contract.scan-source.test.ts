// Tier 3: `scan-source` (a check) scans the repository tree with the pinned Trivy (vulnerabilities in lockfiles and
// requirements, secrets in every file), writes the reports, lets `hello-ci scan-gate` decide, and fails listing the findings.
import { describe, expect, it } from "vitest"

import { CACHE_NAMES, CACHE_PATHS } from "../../dagger/src/caches.ts"
import { imageRef } from "../../dagger/src/images.ts"
import { Severity } from "../../dagger/src/scan-policy.ts"
import { argChain, envAt, fromAddress, oneLine } from "./support/chains.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"
import { installReleaseFakes, lastExec } from "./support/release-fakes.ts"

const h = useFakeEngine()
const SUMMARY = "## Blocking findings\n\n| CVE-2026-0001 | CRITICAL | requests 2.31.0 → 2.32.4 |"

/** The chain that runs `trivy fs`. */
const fsScan = (): Chain => h.engine.chains().find((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[]).slice(0, 2).join(" ") === "trivy fs"))!
const gateExec = (): string[] => h.engine.chains().map(lastExec).find((a) => a[2] === "scan-gate")!

/** Answer the gate summary file like the toolkit would have written it. */
function installSummary(): void {
  h.engine.onLeaf((chain, leaf) => (leaf.field === "contents" && chain.at(-1)?.args.path === "scan-summary.md" ? SUMMARY : undefined))
}

describe("scan-source (tier 3)", () => {
  it("scans the source tree, not an image, with the digest-pinned Trivy for vulnerabilities and secrets", async () => {
    installReleaseFakes(h.engine)
    expect(await h.run((m) => m.scanSource())).toBe("scan-source: passed: no finding at CRITICAL,HIGH in 1 report")
    const chain = fsScan()
    expect(fromAddress(chain)).toBe(imageRef("trivy"))
    const mount = chain.find((op) => op.field === "withMountedDirectory" && op.args.path === "/src")!
    expect(oneLine(h.engine, argChain(h.engine, mount, "source"))).toBe('<arg>(name: "source")')
    const scan = chain.map((op) => (op.field === "withExec" ? (op.args.args as string[]) : [])).find((a) => a[1] === "fs")!
    expect(scan).toEqual(["trivy", "fs", "--scanners", "vuln,secret", "--cache-dir", CACHE_PATHS.trivyDb, "--format", "json", "--output", "/out/source.trivy.json", "/src"])
    expect(chain.some((op) => op.field === "withMountedFile")).toBe(false) // no image tarball: nothing is built
    const cache = chain.find((op) => op.field === "withMountedCache" && op.args.path === CACHE_PATHS.trivyDb)!
    expect(cache.args.sharing).toBe("LOCKED")
    expect(argChain(h.engine, cache, "cache")).toEqual([{ field: "cacheVolume", args: { key: CACHE_NAMES.trivyDb } }])
    expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it("always writes SARIF and table reports, then gates on source.trivy.json with the default policy", async () => {
    installReleaseFakes(h.engine)
    await h.run((m) => m.scanSource())
    const execs = fsScan().filter((op) => op.field === "withExec").map((op) => ({ args: op.args.args as string[], expect: op.args.expect }))
    expect(execs.slice(1).map((e) => e.args.slice(0, 4).join(" "))).toEqual(["trivy fs --scanners vuln,secret", "trivy convert --format sarif", "trivy convert --format table"])
    for (const e of execs.slice(1)) expect(e.expect ?? "SUCCESS").toBe("SUCCESS") // findings exit 0; only Trivy's errors fail
    const gate = gateExec()
    expect(gate.filter((_, i) => gate[i - 1] === "--report")).toEqual(["/reports/source.trivy.json"])
    expect(gate).toEqual(expect.arrayContaining(["--severity", "HIGH,CRITICAL", "--json"]))
    expect(gate).not.toContain("--ignore-unfixed")
  })

  it("applies the repository's ci/config/trivyignore.yaml unless --ignorefile is given", async () => {
    installReleaseFakes(h.engine)
    await h.run((m) => m.scanSource())
    const gate = h.engine.chains().find((c) => lastExec(c)[2] === "scan-gate")!
    expect(gateExec()).toEqual(expect.arrayContaining(["--ignorefile", "/policy/trivyignore.yaml"]))
    const mount = gate.find((op) => op.field === "withMountedFile" && op.args.path === "/policy/trivyignore.yaml")!
    expect(oneLine(h.engine, argChain(h.engine, mount, "source"))).toBe('<arg>(name: "source") → file(path: "ci/config/trivyignore.yaml")')
  })

  it("honours with-scan-policy --severity, --ignore-unfixed and --db-repository", async () => {
    installReleaseFakes(h.engine)
    await h.run((m) => m.withScanPolicy([Severity.Critical], true, undefined, "mirror.example/trivy-db").scanSource())
    expect(gateExec()).toEqual(expect.arrayContaining(["--severity", "CRITICAL", "--ignore-unfixed"]))
    const scan = lastExec(fsScan().slice(0, fsScan().findIndex((op) => op.field === "withExec" && (op.args.args as string[])[1] === "convert")))
    expect(scan).toEqual(expect.arrayContaining(["--db-repository", "mirror.example/trivy-db"]))
  })

  it("fails when the gate blocks, with the gate's reason (its counts) and its list of blocking findings", async () => {
    installReleaseFakes(h.engine, { block: 2 })
    installSummary()
    const error = await h.run((m) => m.scanSource()).then(() => undefined, (e: unknown) => e as Error)
    expect(error?.message).toMatch(/^scan-source: blocked: 2 findings at CRITICAL,HIGH \(2 CRITICAL\) in 1 of 1 report\n\n/)
    expect(error?.message).toContain("| CVE-2026-0001 | CRITICAL | requests 2.31.0 → 2.32.4 |")
  })

  it("fails with Trivy's command and message when the scan itself fails, not with the gate's missing report", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a.slice(0, 2).join(" ") === "trivy fs", exitCode: 1, stderr: "FATAL\tFatal error\tinit error: DB error: failed to download vulnerability DB\n" })
    const error = await h.run((m) => m.scanSource()).then(() => undefined, (e: unknown) => e as Error)
    expect(error?.message).toMatch(/^scan failed: `trivy fs --scanners vuln,secret .*\/src` exited 1\nFATAL\tFatal error\tinit error: DB error/)
    expect(error?.message).not.toContain("scan-gate")
  })

  it("fails naming scan-gate when the gate could not read the report (exit 2), never passing", async () => {
    h.engine.failExec({ matches: (a) => a.includes("scan-gate"), exitCode: 2, stderr: "report source.trivy.json is not JSON" })
    await expect(h.run((m) => m.scanSource())).rejects.toThrow(/scan-gate could not decide \(exit 2\): report source\.trivy\.json is not JSON/)
  })
})
