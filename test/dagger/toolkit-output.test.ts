// Tier 4 for the module's side of the toolkit contract: the real hello-ci CLI (ci/, built), run on the host with the
// exact argv the module builds, prints JSON that the module's readers (dagger/src/toolkit-json.ts) accept, with the
// exit codes the module branches on. It proves the interface, not the containers.
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { parseDeployImages, parseReleasePlan, parseScanVerdict } from "../../dagger/src/toolkit-json.ts"
import { toolkitMessage } from "../../dagger/src/toolkit-run.ts"
import { HELLO_CI } from "../../dagger/src/toolkit.ts"

const root = join(import.meta.dirname, "../..")
const ci = join(root, "ci")
const fixtures = join(ci, "test/fixtures")
const bin = join(ci, HELLO_CI[1].replace("/opt/hello-ci/", ""))

function helloCi(args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: ci, encoding: "utf8", env: { ...process.env, GITHUB_REPOSITORY: "" } })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

const cleanup: string[] = []
const onCleanup = (dir: string) => cleanup.push(dir)
afterAll(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

beforeAll(() => {
  if (existsSync(join(ci, "dist/cli.js"))) return
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: ci, encoding: "utf8" })
  expect(build.status, build.stderr).toBe(0)
}, 120_000)

describe("toolkit JSON read by the module (tier 4, real CLI)", () => {
  it("release-plan --json parses into the plan the module stamps and publishes", () => {
    const images = ["localhost:5000/acme/helloagents-backend", "localhost:5000/acme/helloagents-frontend"].flatMap((i) => ["--image", i])
    const run = helloCi(["release-plan", "--version", "v1.2.3", "--sha", "0123456789abcdef0123456789abcdef01234567", ...images, "--licenses", "Apache-2.0", "--json"])
    expect(run.code, run.stderr).toBe(0)
    const plan = parseReleasePlan(run.stdout)
    expect(plan.tags).toEqual(["1.2.3", "1.2", "1", "latest", "sha-0123456"])
    expect(plan.images[1]!.references[0]).toBe("localhost:5000/acme/helloagents-frontend:1.2.3")
    expect(plan.images[0]!.labels["org.opencontainers.image.revision"]).toBe("0123456789abcdef0123456789abcdef01234567")
  })

  it("release-plan rejects a malformed version with exit 2 and one hello-ci line the module reports", () => {
    const run = helloCi(["release-plan", "--version", "v1.2", "--sha", "0".repeat(40), "--image", "ghcr.io/a/b", "--json"])
    expect(run.code).toBe(2)
    expect(toolkitMessage(run.stderr)).toMatch(/^hello-ci: .*vMAJOR\.MINOR\.PATCH/)
  })

  it("scan-gate --json on real Trivy reports parses into the verdict, with exit 0 pass or 1 block", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-"))
    onCleanup(dir)
    const pass = helloCi(["scan-gate", "--report", join(fixtures, "trivy/alpine-310.json"), "--severity", "HIGH,CRITICAL", "--summary", join(dir, "a.md"), "--json"])
    expect(pass.code, pass.stderr).toBe(0)
    expect(parseScanVerdict(pass.stdout)).toMatchObject({ decision: "pass", blocking: 0, reason: expect.stringMatching(/^passed: /) })
    const block = helloCi(["scan-gate", "--report", join(fixtures, "trivy/debian-buster.json"), "--severity", "LOW,MEDIUM,HIGH,CRITICAL", "--summary", join(dir, "b.md"), "--json"])
    expect(block.code, block.stderr).toBe(1)
    const verdict = parseScanVerdict(block.stdout)
    expect(verdict.decision).toBe("block")
    expect(verdict.blocking).toBeGreaterThan(0)
    expect(verdict.reason).toMatch(/^blocked: \d+ findings? at CRITICAL,HIGH,MEDIUM,LOW \(/)
    expect(existsSync(join(dir, "b.md"))).toBe(true)
  })

  it("sbom-check exits 0 on real CycloneDX and SPDX SBOMs, and 1 with one hello-ci line naming the file on an invalid one", () => {
    for (const file of ["sbom/npm-cyclonedx.json", "sbom/conda-spdx.json"]) {
      const run = helloCi(["sbom-check", "--sbom", join(fixtures, file)])
      expect(run.code, run.stderr).toBe(0)
    }
    const dir = mkdtempSync(join(tmpdir(), "sbom-"))
    onCleanup(dir)
    const broken = join(dir, "broken.spdx.json")
    const spdx = JSON.parse(readFileSync(join(fixtures, "sbom/conda-spdx.json"), "utf8")) as { packages: Array<Record<string, unknown>> }
    delete spdx.packages[0]!.SPDXID
    writeFileSync(broken, JSON.stringify(spdx))
    const run = helloCi(["sbom-check", "--sbom", broken])
    expect(run.code).toBe(1)
    expect(toolkitMessage(run.stderr)).toMatch(/^hello-ci: sbom-check: .*broken\.spdx\.json is not valid SPDX/)
  })

  it("deploy-images prints what the module reads: the release's tag references and the environment's target", () => {
    const run = helloCi(["deploy-images", "--env", "staging", "--version", "v1.2.3"])
    expect(run.code, run.stderr).toBe(0)
    expect(parseDeployImages(run.stdout)).toEqual({ backend: "ghcr.io/helloagents/helloagents-backend:1.2.3", frontend: "ghcr.io/helloagents/helloagents-frontend:1.2.3", target: "kubernetes" })
    expect(() => parseDeployImages(JSON.stringify({ ...JSON.parse(run.stdout), target: "nomad" }))).toThrow(/deploy-images: unexpected JSON/)
  })

  it("the type guards refuse other JSON instead of guessing", () => {
    expect(() => parseScanVerdict(JSON.stringify({ schema: "hello-ci/scan-verdict@2", decision: "pass" }))).toThrow(/unexpected JSON/)
    expect(() => parseReleasePlan("not json")).toThrow(/did not print JSON/)
  })
})
