// Tier 3: what `release` asks the engine for: plan, pinned scanner over every platform, a gate that stops
// publishing, gzip multi-platform publishes, credentials only as Secrets, signatures on digests, dry runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { main } from "../../ci/src/cli.ts"
import { parseReleaseRecord, renderReleaseSummary } from "../../ci/src/core/release/summary.ts"
import { memoryIo } from "../../ci/src/io.ts"
import { releaseRecordSchema } from "../../ci/src/schemas/release-record.ts"
import { imageRef } from "../../dagger/src/images.ts"
import { ReleaseStep } from "../../dagger/src/release-request.ts"
import { Severity } from "../../dagger/src/scan-policy.ts"
import { argChain, envAt, findOp, fromAddress, secretLeaks, secretPlaintexts } from "./support/chains.ts"
import { FAKE_COMMIT, type Chain, type Op } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"
import { gitRefArg, installReleaseFakes, lastExec, secret } from "./support/release-fakes.ts"
import type { Helloagents } from "../../dagger/src/index.ts"
import type { Directory } from "@dagger.io/dagger"
import { call } from "./support/call.ts"

const h = useFakeEngine()
const PASSWORD = "ghp_fakeRegistryToken123"
const PLATFORMS = ["linux/amd64", "linux/arm64"]
const PINNED = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/

interface Opts { repositoryUrl?: string; invocationId?: string; dryRun?: boolean; key?: boolean; keyless?: boolean; auth?: boolean; skipTests?: boolean; skipSmoke?: boolean; dbRepository?: string }

/** Configure the module the way a user chains `with-*` functions before `release`. */
function configured(m: Helloagents, o: Opts): Helloagents {
  let mod = m.withRegistry("ghcr.io/acme")
  if (o.auth !== false) mod = mod.withRegistryAuth("octocat", secret("ghcr", PASSWORD))
  if (o.repositoryUrl) mod = mod.withRepositoryUrl(o.repositoryUrl)
  if (o.dbRepository) mod = mod.withScanPolicy([], false, undefined, o.dbRepository)
  if (o.key) mod = mod.withCosignKey(secret("cosign-key", "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----fake"), secret("cosign-password", "fake-key-password"))
  if (o.keyless) mod = mod.withKeylessSigning(secret("oidc-url", "https://pipelines.actions.example/oidc?fake"), secret("oidc-token", "fake-oidc-request-token"))
  return mod
}

/** Run a release (tests skipped unless asked), returning the report directory's chain. */
async function runRelease(o: Opts = {}): Promise<Chain> {
  const id = await h.run(async (m) => {
    const skip = [...(o.skipTests ?? true ? [ReleaseStep.Tests] : []), ...(o.skipSmoke ? [ReleaseStep.Smoke] : [])]
    const args = { version: "v1.2.3", platforms: PLATFORMS, dryRun: o.dryRun ?? false, skip, invocationId: o.invocationId, head: gitRefArg(h.engine) }
    const dir = await call<Directory>(configured(m, o), "release", args)
    return dir.id()
  })
  return h.engine.resolve(id)
}

/** Every publish request, as leaf args. */
const publishes = () => h.engine.requests.filter((r) => r.leaf.field === "publish").map((r) => ({ chain: r.chain, args: r.leaf.args }))
/** Chains that run the scanner's JSON scan. */
const trivyScans = () =>
  h.engine.chains().filter((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[])[0] === "trivy" && (op.args.args as string[]).includes("json")))
/** The platform a container chain was built for (its dockerBuild). */
const platformOf = (chain: Chain) => chain.find((op) => op.field === "dockerBuild")?.args.platform
/** The app folder a container chain was built from. */
const appOf = (chain: Chain) => String(chain[chain.findIndex((op) => op.field === "dockerBuild") - 1]?.args.path)
/** Every exec of cosign. */
const cosignExecs = () => uniqArgs(h.engine.chains().flatMap((c) => c.filter((op) => op.field === "withExec" && (op.args.args as string[])[0] === "/ko-app/cosign")))
function uniqArgs(ops: Op[]): string[][] {
  return [...new Set(ops.map((op) => JSON.stringify(op.args.args)))].map((s) => JSON.parse(s) as string[])
}
/** The file a report directory writes with `withNewFile`. */
const newFile = (chain: Chain, path: string) => String(chain.find((op) => op.field === "withNewFile" && op.args.path === path)?.args.contents)

/**
 * The report's summary.md: check it is `hello-ci release-summary` run on exactly the report's release.json, then
 * render that record with the toolkit's own code (what the toolkit container prints on an engine).
 */
function summaryOf(report: Chain): string {
  const op = report.find((o) => o.field === "withFile" && o.args.path === "summary.md")!
  const chain = argChain(h.engine, op, "source")
  expect(chain.at(-1)).toEqual({ field: "file", args: { path: "/out/summary.md" } })
  expect(lastExec(chain)).toEqual(["node", "/opt/hello-ci/bin/hello-ci.js", "release-summary", "--record", "/in/release.json", "--out", "/out/summary.md"])
  const record = String(chain.find((o) => o.field === "withNewFile" && o.args.path === "/in/release.json")?.args.contents)
  expect(record).toBe(newFile(report, "release.json"))
  return renderReleaseSummary(parseReleaseRecord("release.json", record))
}

describe("release: plan and build (tier 3)", () => {
  it("asks hello-ci release-plan for both images under the registry, with the checked-out commit", async () => {
    installReleaseFakes(h.engine)
    await runRelease()
    const plan = h.engine.chains().map(lastExec).find((a) => a.includes("release-plan"))!
    expect(plan.slice(0, 3)).toEqual(["node", "/opt/hello-ci/bin/hello-ci.js", "release-plan"])
    expect(plan).toEqual(expect.arrayContaining(["--version", "v1.2.3", "--sha", FAKE_COMMIT, "--json"]))
    expect(plan.filter((_, i) => plan[i - 1] === "--image")).toEqual(["ghcr.io/acme/helloagents-backend", "ghcr.io/acme/helloagents-frontend"])
  })

  it("stamps every image with the plan's OCI labels and VERSION/REVISION build args", async () => {
    installReleaseFakes(h.engine)
    await runRelease()
    const published = publishes()[0]!
    const variant = h.engine.resolve(String((published.args.platformVariants as string[])[0]))
    const build = variant.find((op) => op.field === "dockerBuild")!
    expect(build.args.buildArgs).toEqual(expect.arrayContaining([{ name: "VERSION", value: "1.2.3" }, { name: "REVISION", value: FAKE_COMMIT }]))
    const labels = variant.filter((op) => op.field === "withLabel").map((op) => `${op.args.name}=${op.args.value}`)
    expect(labels).toEqual(expect.arrayContaining(["org.opencontainers.image.version=1.2.3", `org.opencontainers.image.revision=${FAKE_COMMIT}`]))
  })
})

describe("release: scan (tier 3)", () => {
  it("runs Trivy from the digest-pinned 0.69.3 image (never 0.69.4)", async () => {
    installReleaseFakes(h.engine)
    await runRelease()
    const scans = trivyScans()
    expect(scans.length).toBeGreaterThan(0)
    for (const chain of scans) {
      expect(fromAddress(chain)).toBe(imageRef("trivy"))
      expect(fromAddress(chain)).toMatch(PINNED)
      expect(fromAddress(chain)).toMatch(/^aquasec\/trivy:0\.69\.3@sha256:bcc376de8d77cfe086a917230e818dc9f8528e3c852f7b1aff648949b6258d1c$/)
    }
  })

  it("scans an unpublished tarball of every platform variant of both apps (four tarballs)", async () => {
    installReleaseFakes(h.engine)
    await runRelease()
    const scanned = new Set<string>()
    for (const chain of trivyScans()) {
      const mount = chain.find((op) => op.field === "withMountedFile" && op.args.path === "/image.tar")!
      const tarball = argChain(h.engine, mount, "source")
      expect(tarball.at(-1)?.field).toBe("asTarball")
      scanned.add(`${appOf(tarball)} ${String(platformOf(tarball))}`)
    }
    expect([...scanned].sort()).toEqual(["backend linux/amd64", "backend linux/arm64", "frontend linux/amd64", "frontend linux/arm64"])
  })

  it("keeps the vulnerability DB in a LOCKED cache volume, busts the layer cache and honours --db-repository", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ dbRepository: "mirror.example/trivy-db:2" })
    for (const chain of trivyScans()) {
      const mount = chain[findOp(chain, "withMountedCache", (op) => op.args.path === "/cache/trivy")]!
      expect(mount.args.sharing).toBe("LOCKED")
      expect(argChain(h.engine, mount, "cache")).toEqual([{ field: "cacheVolume", args: { key: "helloagents:trivy-db" } }])
      expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-\d\d-\d\dT/)
      const scan = chain.find((op) => op.field === "withExec" && (op.args.args as string[]).includes("json"))!
      expect(scan.args.expect ?? "SUCCESS").toBe("SUCCESS") // a Trivy error fails the scan; findings exit 0
      expect(chain.some((op) => op.field === "withoutEnvVariable" && op.args.name === "TRIVY_EXIT_CODE")).toBe(true) // an image's own default cannot make findings fail
      expect(scan.args.args).toEqual(expect.arrayContaining(["--db-repository", "mirror.example/trivy-db:2"]))
    }
  })

  it("writes JSON, SARIF and table reports per variant, then gates on all JSON reports with hello-ci scan-gate", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease()
    const gate = h.engine.chains().map(lastExec).find((a) => a.includes("scan-gate"))!
    expect(gate.filter((_, i) => gate[i - 1] === "--report")).toHaveLength(4)
    expect(gate).toEqual(expect.arrayContaining(["--severity", "HIGH,CRITICAL", "--json"]))
    const converts = h.engine.chains().flatMap((c) => c.filter((op) => op.field === "withExec" && (op.args.args as string[])[1] === "convert"))
    expect(new Set(converts.map((op) => (op.args.args as string[])[3]))).toEqual(new Set(["sarif", "table"]))
    expect(report.find((op) => op.field === "withDirectory" && op.args.path === "scan")).toBeDefined()
  })
})

describe("release: the gate stops publishing (tier 3)", () => {
  it("publishes nothing and names the gate and its blocking count when scan-gate exits 1", async () => {
    installReleaseFakes(h.engine, { block: 3 })
    const error = await runRelease({ key: true }).then(() => undefined, (e: unknown) => e as Error)
    expect(error?.message).toMatch(/^release blocked by the scan gate \(blocked: 3 findings at CRITICAL,HIGH \(3 CRITICAL\)/)
    expect(error?.message).toContain("Nothing was published")
    expect(error?.message).toContain("dagger call scan --platforms linux/amd64,linux/arm64 export --path release/scan")
    expect(publishes()).toEqual([])
    expect(cosignExecs()).toEqual([])
    // the reports were produced before the verdict was read
    expect(h.engine.requests.some((r) => r.leaf.field === "contents" && r.chain.at(-1)?.args.path === "/out/scan-gate.json")).toBe(true)
  })
})

describe("release: publish (tier 3)", () => {
  it("publishes every tag of both images with both platform variants and gzip layers", async () => {
    installReleaseFakes(h.engine)
    await runRelease()
    const all = publishes()
    expect(all.map((p) => p.args.address).sort()).toEqual(
      ["backend", "frontend"].flatMap((app) => ["1.2.3", "1.2", "1", "latest", "sha-0123456"].map((t) => `ghcr.io/acme/helloagents-${app}:${t}`)).sort(),
    )
    for (const p of all) {
      expect(["Gzip", "GZIP"]).toContain(p.args.forcedCompression) // the schema spells the same value both ways
      const variants = (p.args.platformVariants as string[]).map((id) => h.engine.resolve(id))
      expect(variants.map(platformOf)).toEqual(PLATFORMS)
      const app = String(p.args.address).includes("backend") ? "backend" : "frontend"
      expect(variants.map(appOf)).toEqual([app, app])
    }
  })

  it("passes the registry password only as a Secret to withRegistryAuth, never in env, args, files or labels", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ key: true })
    for (const p of publishes()) {
      const auth = p.chain.find((op) => op.field === "withRegistryAuth")!
      expect(auth.args).toMatchObject({ address: "ghcr.io", username: "octocat" })
      expect(argChain(h.engine, auth, "secret")).toEqual([{ field: "setSecret", args: { name: "ghcr", plaintext: PASSWORD } }])
    }
    expect(secretLeaks(h.engine, secretPlaintexts(h.engine))).toEqual([])
    const carriers = h.engine.requests.filter((r) => r.query.includes(PASSWORD)).map((r) => r.chain[0]?.field)
    expect(new Set(carriers)).toEqual(new Set(["setSecret"]))
  })
})

describe("release: signing (tier 3)", () => {
  it("signs and attests the published index digests, never tags, with the pinned cosign", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ key: true })
    const execs = cosignExecs()
    expect(execs.filter((a) => a[1] === "sign")).toHaveLength(2)
    expect(execs.filter((a) => a[1] === "attest")).toHaveLength(10) // per image: CycloneDX + SPDX per platform, one provenance
    for (const args of execs) {
      expect(args.at(-1)).toMatch(/^ghcr\.io\/acme\/helloagents-(backend|frontend)@sha256:[0-9a-f]{64}$/)
      expect(args).toContain("--yes")
    }
    for (const args of execs.filter((a) => a[1] === "attest")) expect(args).toEqual(expect.arrayContaining(["--yes", "--key", "/cosign/cosign.key", "--predicate"]))
    const cosignChains = h.engine.chains().filter((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[])[0] === "/ko-app/cosign"))
    for (const chain of cosignChains) expect(fromAddress(chain)).toBe(imageRef("cosign"))
  })

  it("attaches both SBOM formats of every platform and the SLSA provenance to each image's digest", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ key: true })
    const attests = cosignExecs().filter((a) => a[1] === "attest")
    for (const app of ["backend", "frontend"]) {
      const mine = attests.filter((a) => a.at(-1)!.startsWith(`ghcr.io/acme/helloagents-${app}@sha256:`))
      const typed = mine.map((a) => `${a[a.indexOf("--type") + 1]} ${a[a.indexOf("--predicate") + 1]}`).sort()
      expect(typed).toEqual([
        `cyclonedx /attest/helloagents-${app}-linux-amd64.cdx.json`,
        `cyclonedx /attest/helloagents-${app}-linux-arm64.cdx.json`,
        `slsaprovenance1 /attest/helloagents-${app}.slsa.json`,
        `spdxjson /attest/helloagents-${app}-linux-amd64.spdx.json`,
        `spdxjson /attest/helloagents-${app}-linux-arm64.spdx.json`,
      ])
    }
    // each predicate mounted where cosign reads it comes from the toolkit's provenance run for that image
    const chain = h.engine.chains().find((c) => c.some((op) => op.field === "withMountedFile" && op.args.path === "/attest/helloagents-backend.slsa.json"))!
    const mount = chain.find((op) => op.field === "withMountedFile" && op.args.path === "/attest/helloagents-backend.slsa.json")!
    const source = argChain(h.engine, mount, "source")
    expect(lastExec(source).slice(2, 5)).toEqual(["provenance", "--image", "ghcr.io/acme/helloagents-backend"])
  })

  it("signs keylessly with the GitHub OIDC request variables passed only through withSecretVariable", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ keyless: true })
    const chain = h.engine.chains().find((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[])[1] === "sign"))!
    const secretVars = chain.filter((op) => op.field === "withSecretVariable").map((op) => String(op.args.name))
    expect(secretVars).toEqual(expect.arrayContaining(["ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"]))
    expect(Object.keys(envAt(chain)).filter((n) => n.startsWith("ACTIONS_"))).toEqual([])
    const sign = cosignExecs().find((a) => a[1] === "sign")!
    expect(sign).not.toContain("--key")
    expect(secretLeaks(h.engine, secretPlaintexts(h.engine))).toEqual([])
  })

  it("gives cosign the registry credentials as a mounted secret docker config, not as argv or env", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ keyless: true })
    const chain = h.engine.chains().find((c) => c.some((op) => op.field === "withExec" && (op.args.args as string[])[1] === "sign"))!
    const mount = chain.find((op) => op.field === "withMountedSecret" && op.args.path === "/cosign/docker/config.json")!
    const config = argChain(h.engine, mount, "source")
    expect(config[0]!.field).toBe("setSecret")
    expect(JSON.parse(String(config[0]!.args.plaintext))).toEqual({ auths: { "ghcr.io": { auth: btoa(`octocat:${PASSWORD}`) } } })
  })

  it("says loudly in the summary that nothing was signed when no key and no OIDC variables are given", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease()
    expect(cosignExecs()).toEqual([])
    expect(summaryOf(report)).toContain("**NOTHING WAS SIGNED OR ATTESTED**")
    expect(JSON.parse(newFile(report, "release.json"))).toMatchObject({ signed: false, signing: "none" })
  })

  it("records tags, index digests, per-platform report and SBOM paths and findings in release.json", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ key: true })
    const json = JSON.parse(newFile(report, "release.json")) as { tags: string[]; signed: boolean; images: Array<{ name: string; digest: string; platforms: Array<{ platform: string; sbom: { cyclonedx: string } }> }>; findings: { decision: string } }
    expect(json.tags).toEqual(["1.2.3", "1.2", "1", "latest", "sha-0123456"])
    expect(json.signed).toBe(true)
    expect(json.findings.decision).toBe("pass")
    expect(json.images.map((i) => i.name)).toEqual(["ghcr.io/acme/helloagents-backend", "ghcr.io/acme/helloagents-frontend"])
    for (const image of json.images) {
      expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(image.platforms.map((p) => p.platform)).toEqual(PLATFORMS)
      expect(image.platforms[1]!.sbom.cyclonedx).toMatch(/^sbom\/helloagents-(backend|frontend)-linux-arm64\.cdx\.json$/)
    }
  })
})

describe("release: the report (tier 3)", () => {
  it("writes a release.json the toolkit's schema accepts, and summary.md rendered from it by the toolkit", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ keyless: true, repositoryUrl: "https://github.com/acme/helloagents" })
    const record = releaseRecordSchema.parse(JSON.parse(newFile(report, "release.json")))
    expect(record).toMatchObject({ source: "https://github.com/acme/helloagents", signed: true, signing: "keyless", smoke: { status: "passed" } })
    const summary = summaryOf(report)
    expect(summary).toContain("--certificate-identity-regexp '^https://github\\.com/acme/helloagents/\\.github/workflows/release\\.yml@refs/tags/v.*$'")
    expect(summary).toContain(`cosign verify-attestation --type cyclonedx`)
    expect(newFile(report, "smoke.md")).not.toBe("undefined")
  })

  it("writes each image's provenance with an argv the real hello-ci accepts, and puts it in the report", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ repositoryUrl: "https://github.com/acme/helloagents", invocationId: "https://github.com/acme/helloagents/actions/runs/7/attempts/1" })
    const runs = h.engine.chains().map(lastExec).filter((a) => a[2] === "provenance")
    const argvs = [...new Set(runs.map((a) => JSON.stringify(a)))].map((a) => JSON.parse(a) as string[])
    expect(argvs.map((a) => a[a.indexOf("--image") + 1]).sort()).toEqual(["ghcr.io/acme/helloagents-backend", "ghcr.io/acme/helloagents-frontend"])
    const frontend = argvs.find((a) => a.includes("ghcr.io/acme/helloagents-frontend"))!
    expect(frontend.filter((_, i) => frontend[i - 1] === "--base-image")).toEqual([imageRef("node"), imageRef("nginx")])
    expect(frontend.filter((_, i) => frontend[i - 1] === "--platform")).toEqual(PLATFORMS)
    expect(frontend).toEqual(expect.arrayContaining(["--dockerfile", "frontend/Dockerfile", "--sha", FAKE_COMMIT, "--version", "v1.2.3", "--repository-url", "https://github.com/acme/helloagents"]))
    expect(frontend.slice(frontend.indexOf("--invocation-id"), frontend.indexOf("--invocation-id") + 2)).toEqual(["--invocation-id", "https://github.com/acme/helloagents/actions/runs/7/attempts/1"])
    // the toolkit's own CLI accepts exactly this argv (output redirected to a temp file)
    const dir = mkdtempSync(join(tmpdir(), "prov-"))
    try {
      const io = memoryIo()
      const argv = frontend.slice(2).map((a, i, all) => (all[i - 1] === "--out" ? join(dir, "p.json") : a))
      expect(await main(["node", "hello-ci", ...argv], io), io.stderr).toBe(0)
      const predicate = JSON.parse(readFileSync(join(dir, "p.json"), "utf8"))
      expect(predicate.buildDefinition.externalParameters.dockerfile).toBe("frontend/Dockerfile")
      expect(predicate.runDetails.metadata.invocationId).toBe("https://github.com/acme/helloagents/actions/runs/7/attempts/1")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const files = report.filter((op) => op.field === "withFile").map((op) => String(op.args.path))
    expect(files).toEqual(expect.arrayContaining(["provenance/helloagents-backend.slsa.json", "provenance/helloagents-frontend.slsa.json"]))
    const record = releaseRecordSchema.parse(JSON.parse(newFile(report, "release.json")))
    expect(record.images.map((i) => i.provenance)).toEqual(["provenance/helloagents-backend.slsa.json", "provenance/helloagents-frontend.slsa.json"])
  })

  it("writes the provenance before publishing: a refused provenance fails the release with nothing pushed", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a[2] === "provenance", exitCode: 2, stderr: "hello-ci: provenance: --base-image: not pinned" })
    await expect(runRelease({ key: true })).rejects.toThrow(/^provenance of ghcr\.io\/acme\/helloagents-(backend|frontend) was refused \(exit 2\): hello-ci: provenance: --base-image: not pinned$/)
    expect(publishes()).toEqual([])
    expect(cosignExecs()).toEqual([])
  })

  it("checks the provenance inputs right after the plan: a refused one fails before any test, build or scan", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a[2] === "provenance", exitCode: 2, stderr: "hello-ci: provenance: --repository-url: expected an https:// URL" })
    await expect(runRelease({ skipTests: false, repositoryUrl: "http://git.example/acme/helloagents" })).rejects.toThrow(/--repository-url: expected an https:\/\/ URL/)
    expect(h.engine.chains().some((c) => c.some((op) => op.field === "dockerBuild"))).toBe(false)
    expect(h.engine.chains().some((c) => lastExec(c).join(" ") === "python -m pytest")).toBe(false)
  })

  it("keeps the report when the summary cannot be rendered after publishing: summary.md says why, release.json is whole", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a[2] === "release-summary", exitCode: 70, stderr: "hello-ci: internal error (a bug in hello-ci): boom" })
    const report = await runRelease({ key: true })
    expect(publishes().length).toBe(10)
    const op = report.find((o) => o.field === "withFile" && o.args.path === "summary.md")!
    const fallback = argChain(h.engine, op, "source")
    const text = String(fallback.find((o) => o.field === "withNewFile")?.args.contents)
    expect(text).toContain("hello-ci release-summary failed (exit 70): hello-ci: internal error (a bug in hello-ci): boom")
    expect(releaseRecordSchema.parse(JSON.parse(newFile(report, "release.json"))).signed).toBe(true)
  })

  it("passes --repository-url to the plan as the OCI source and url labels of every image", async () => {
    installReleaseFakes(h.engine)
    await runRelease({ repositoryUrl: "https://github.com/acme/helloagents" })
    const plan = h.engine.chains().map(lastExec).find((a) => a.includes("release-plan"))!
    expect(plan).toEqual(expect.arrayContaining(["--source", "https://github.com/acme/helloagents", "--url", "https://github.com/acme/helloagents"]))
    const variant = h.engine.resolve(String((publishes()[0]!.args.platformVariants as string[])[0]))
    const labels = variant.filter((op) => op.field === "withLabel").map((op) => `${op.args.name}=${op.args.value}`)
    expect(labels).toContain("org.opencontainers.image.source=https://github.com/acme/helloagents")
  })

  it("records a skipped smoke gate and writes no smoke.md", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ skipSmoke: true })
    expect(releaseRecordSchema.parse(JSON.parse(newFile(report, "release.json"))).smoke).toEqual({ status: "skipped", detail: "--skip-smoke" })
    expect(report.some((op) => op.args.path === "smoke.md")).toBe(false)
    expect(summaryOf(report)).toContain("Smoke: skipped (--skip-smoke).")
  })
})

describe("release --dry-run (tier 3)", () => {
  it("publishes to a throwaway registry service, without credentials, and signs nothing", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ dryRun: true, key: true })
    const all = publishes()
    expect(all.length).toBe(10)
    for (const p of all) {
      expect(String(p.args.address)).toMatch(/^localhost:5000\/acme\/helloagents-(backend|frontend):/)
      const svc = h.engine.resolve(String(p.args.registryService))
      expect(fromAddress(svc)).toBe(imageRef("registry"))
      expect(svc.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } })
      expect(p.chain.some((op) => op.field === "withRegistryAuth")).toBe(false)
    }
    expect(h.engine.requests.some((r) => r.leaf.field === "start")).toBe(true)
    expect(cosignExecs()).toEqual([])
    expect(summaryOf(report)).toContain("this was a dry run")
  })

  it("reads every pushed index back from the registry service and records per-platform digests", async () => {
    installReleaseFakes(h.engine)
    const report = await runRelease({ dryRun: true })
    const reads = h.engine.chains().filter((c) => lastExec(c).includes("image-index"))
    for (const c of reads) expect(lastExec(c).filter((a, i, argv) => argv[i - 1] === "--platform")).toEqual(["linux/amd64", "linux/arm64"])
    const urls = new Set(reads.map((c) => lastExec(c)[lastExec(c).indexOf("--url") + 1]))
    expect([...urls].sort()).toEqual([
      expect.stringMatching(/^http:\/\/registry:5000\/v2\/acme\/helloagents-backend\/manifests\/sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^http:\/\/registry:5000\/v2\/acme\/helloagents-frontend\/manifests\/sha256:[0-9a-f]{64}$/),
    ])
    for (const chain of reads) {
      const bind = chain[findOp(chain, "withServiceBinding", (op) => op.args.alias === "registry")]!
      expect(fromAddress(argChain(h.engine, bind, "service"))).toBe(imageRef("registry"))
    }
    const json = JSON.parse(newFile(report, "release.json")) as { images: Array<{ platforms: Array<{ digest: string | null }> }> }
    expect(json.images.flatMap((i) => i.platforms.map((p) => p.digest))).not.toContain(null)
  })

  it("fails when a pushed index lacks a platform", async () => {
    installReleaseFakes(h.engine, { indexPlatforms: ["linux/amd64"] })
    await expect(runRelease({ dryRun: true })).rejects.toThrow(/lacks linux\/arm64/)
  })
})

describe("release: order of gates (tier 3)", () => {
  it("runs the tests first unless --skip-tests, and fails before building when they fail", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a.join(" ") === "python -m pytest", exitCode: 1 })
    await expect(runRelease({ skipTests: false })).rejects.toThrow(/test failed: backend-test/)
    expect(publishes()).toEqual([])
    expect(h.engine.chains().some((c) => c.some((op) => op.field === "withLabel"))).toBe(false)
  })

  it("smoke-tests the release images before publishing and stops when the smoke suite fails", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a.includes("smoke"), exitCode: 1 })
    await expect(runRelease()).rejects.toThrow(/smoke of the release images \(linux\/amd64\) failed \(exit 1\)/)
    expect(publishes()).toEqual([])
  })

  it("skips the smoke gate with --skip smoke", async () => {
    installReleaseFakes(h.engine)
    h.engine.failExec({ matches: (a) => a.includes("smoke"), exitCode: 1 })
    await runRelease({ skipSmoke: true })
    expect(publishes().length).toBe(10)
  })
})

describe("release-dry-run check (tier 3)", () => {
  it("plans, builds both apps for both platforms with labels and writes their provenance, and pushes or signs nothing", async () => {
    installReleaseFakes(h.engine)
    const summary = await h.run((m) => call<string>(m, "releaseDryRun", { head: gitRefArg(h.engine) }))
    expect(summary).toBe("release dry run: built 4 images (0.0.0-dryrun, sha-0123456) and their provenance, pushed nothing")
    const builds = h.engine.chains().filter((c) => c.some((op) => op.field === "withLabel")).map((c) => `${appOf(c)} ${platformOf(c)}`)
    expect([...new Set(builds)].sort()).toEqual(["backend linux/amd64", "backend linux/arm64", "frontend linux/amd64", "frontend linux/arm64"])
    const provenance = h.engine.chains().map(lastExec).filter((a) => a[2] === "provenance").map((a) => a[a.indexOf("--image") + 1])
    expect([...new Set(provenance)].sort()).toEqual(["ghcr.io/helloagents/helloagents-backend", "ghcr.io/helloagents/helloagents-frontend"])
    expect(h.engine.requests.some((r) => r.leaf.field === "exitCode" && lastExec(r.chain)[2] === "provenance")).toBe(true)
    expect(publishes()).toEqual([])
    expect(cosignExecs()).toEqual([])
  })
})

describe("severity enum", () => {
  it("maps the closed set of Trivy severities", () => {
    expect(Object.values(Severity)).toEqual(["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"])
  })
})
