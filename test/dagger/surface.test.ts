// Tier 2: the functions, flags, types, defaults, context arguments and marks as the SDK's introspector reads them.
import { beforeAll, describe, expect, it } from "vitest"

import { loadSurface, renderFunctions } from "./support/surface.mjs"

type Arg = { name: string; flag: string; type: string; optional: boolean; default?: unknown; defaultPath?: string; ignore?: string[]; description: string }
type Fn = { name: string; command: string; description: string; returns: string; check: boolean; cache?: string; args: Arg[] }
type Surface = { name: string; description: string; objects: Record<string, { description: string; constructor: Arg[]; fields: { name: string; type: string }[]; functions: Fn[] }> }

let surface: Surface
beforeAll(async () => {
  surface = (await loadSurface()) as Surface
}, 60_000)

const main = () => {
  const obj = surface.objects.Helloagents
  if (!obj) throw new Error(`main object Helloagents missing; objects: ${Object.keys(surface.objects).join(", ")}`)
  return obj
}
const fn = (name: string) => {
  const found = main().functions.find((f) => f.name === name)
  if (!found) throw new Error(`function ${name} missing`)
  return found
}

describe("module surface (tier 2, SDK scan())", () => {
  it("names the main object after dagger.json (helloagents → Helloagents)", () => {
    expect(surface.name).toBe("Helloagents")
    expect(Object.keys(surface.objects).sort()).toEqual(["Build", "Helloagents", "ScanPolicy"])
  })

  it("exposes exactly the documented functions, kebab-cased on the CLI", () => {
    expect(main().functions.map((f) => f.command)).toEqual([
      "test",
      "test-reports",
      "lint",
      "backend-image",
      "with-frontend-urls",
      "frontend-image",
      "build",
      "dev",
      "backend-test",
      "frontend-lint",
      "frontend-test",
      "frontend-build",
      "toolkit",
      "with-scan-policy",
      "scan",
      "scan-source",
      "sbom",
      "with-registry",
      "with-registry-auth",
      "with-repository-url",
      "with-cosign-key",
      "with-keyless-signing",
      "release",
      "release-dry-run",
      "with-deploy-webhook",
      "with-runtime-secret",
      "with-aws-credentials",
      "deploy",
      "rollback",
      "status",
      "health-check",
      "smoke",
      "browser-check",
      "smoke-images",
      "pins",
    ])
  })

  it("takes the repository as --source, defaulting to the git root with an allowlist ignore", () => {
    const [source, ...rest] = main().constructor
    expect(rest).toEqual([])
    expect(source).toMatchObject({ name: "source", type: "Directory", defaultPath: "/" })
    const ignore = source!.ignore!
    expect(ignore[0]).toBe("*")
    expect(ignore.slice(1, 5)).toEqual(["!backend", "!frontend", "!.github", "!ci"])
    for (const junk of ["**/node_modules", "**/.venv", "**/dist", "**/coverage", "**/reports", "**/.git", "**/__pycache__", "ci/test", "ci/bench"]) {
      expect(ignore.indexOf(junk), junk).toBeGreaterThan(4) // re-excluded after the allowlist
    }
  })

  it("marks test, lint, scanSource and releaseDryRun as checks, and nothing else; checks take no required argument", () => {
    expect(main().functions.filter((f) => f.check).map((f) => f.name)).toEqual(["test", "lint", "scanSource", "releaseDryRun"])
    for (const f of ["test", "lint", "scanSource", "releaseDryRun"]) expect(fn(f).args.filter((a) => !a.optional)).toEqual([])
  })

  it("sets a cache policy on every function that binds services or looks things up", () => {
    expect(fn("test").cache).toBe("session")
    expect(fn("testReports").cache).toBe("session")
    expect(fn("backendTest").cache).toBe("session")
    expect(fn("dev").cache).toBe("session")
    expect(fn("pins").cache).toBe("never")
    for (const sideEffect of ["release", "deploy", "rollback", "status", "healthCheck", "smoke", "browserCheck"]) expect(fn(sideEffect).cache, sideEffect).toBe("never")
    for (const fresh of ["scan", "scanSource", "smokeImages"]) expect(fn(fresh).cache, fresh).toBe("session")
    const builders = ["withScanPolicy", "withRegistry", "withRegistryAuth", "withRepositoryUrl", "withCosignKey", "withKeylessSigning", "withDeployWebhook", "withRuntimeSecret", "withAwsCredentials", "withFrontendUrls"]
    for (const pure of ["lint", "build", "backendImage", "frontendImage", "frontendLint", "frontendTest", "frontendBuild", "toolkit", "sbom", "releaseDryRun", ...builders]) {
      expect(fn(pure).cache, pure).toBeUndefined()
    }
  })

  it("has the documented flags, types, defaults and return types", () => {
    expect(fn("build").args).toMatchObject([{ flag: "--platforms", type: "[String]", optional: true, default: ["linux/amd64", "linux/arm64"] }])
    expect(fn("build").returns).toBe("Build")
    for (const image of ["backendImage", "frontendImage"]) {
      expect(fn(image).args).toMatchObject([{ flag: "--platform", type: "Platform", optional: true }])
      expect(fn(image).returns).toBe("Container")
    }
    expect(fn("dev").returns).toBe("Service")
    expect(fn("testReports").returns).toBe("Directory")
    expect(fn("frontendBuild").returns).toBe("Directory")
    expect(fn("backendTest").returns).toBe("Container")
    expect(fn("test").returns).toBe("String")
    const noArgs = ["test", "testReports", "lint", "dev", "backendTest", "frontendLint", "frontendTest", "frontendBuild", "pins"]
    for (const name of noArgs) expect(fn(name).args, name).toEqual([])
  })

  it("takes exactly the documented release flags, at most six", () => {
    const flags = fn("release").args.map((a) => `${a.flag}:${a.type}${a.optional ? "?" : ""}${a.default !== undefined ? `=${JSON.stringify(a.default)}` : ""}`)
    expect(flags).toEqual([
      "--version:String",
      '--platforms:[String]?=["linux/amd64","linux/arm64"]',
      "--dry-run:Boolean?=false",
      "--skip:[ReleaseStep]?=[]",
      "--invocation-id:String?",
      "--head:GitRef?",
    ])
    expect(fn("release").args.at(-1)).toMatchObject({ name: "head", defaultPath: "/" })
    expect(fn("release").returns).toBe("Directory")
  })

  it("configures registry, signing and scan policy with with-* functions that return the module", () => {
    const flags = (name: string) => fn(name).args.map((a) => `${a.flag}:${a.type}${a.optional ? "?" : ""}`)
    expect(flags("withRegistry")).toEqual(["--address:String"])
    expect(flags("withRegistryAuth")).toEqual(["--username:String", "--password:Secret"]) // never one without the other
    expect(flags("withRepositoryUrl")).toEqual(["--url:String"])
    expect(flags("withCosignKey")).toEqual(["--key:Secret", "--password:Secret?"])
    expect(flags("withKeylessSigning")).toEqual(["--oidc-request-url:Secret", "--oidc-request-token:Secret"])
    expect(flags("withFrontendUrls")).toEqual(["--api-url:String?", "--ws-url:String?"])
    expect(flags("withScanPolicy")).toEqual(["--severity:[Severity]?", "--ignore-unfixed:Boolean?", "--ignorefile:File?", "--db-repository:String?"])
    for (const f of main().functions.filter((x) => x.name.startsWith("with"))) expect(f.returns, f.name).toBe("Helloagents")
    // every credential is a Secret, never a string
    const secretArgs = main().functions.flatMap((f) => f.args.map((a) => ({ ...a, where: `${f.name}.${a.name}` })))
      .filter((a) => /password|token|requestUrl$|kubeconfig|accessKey/i.test(a.name) || ["withCosignKey.key", "withDeployWebhook.url", "withRuntimeSecret.value"].includes(a.where))
    expect(secretArgs.length).toBeGreaterThanOrEqual(13)
    for (const a of secretArgs) expect(a.type, a.where).toBe("Secret")
  })

  it("has the documented deploy, rollback and status flags: the environment by name, the kubeconfig (Kubernetes only) and AWS credentials as Secrets", () => {
    const flags = (name: string) => fn(name).args.map((a) => `${a.flag}:${a.type}${a.optional ? "?" : ""}${a.default !== undefined ? `=${JSON.stringify(a.default)}` : ""}`)
    expect(flags("deploy")).toEqual(["--env:String", "--version:String", "--kubeconfig:Secret?", "--yes:Boolean?=false", "--api-server:Service?", "--actor:String?"])
    expect(flags("rollback")).toEqual(["--env:String", "--kubeconfig:Secret?", "--to-revision:Int?=0", "--yes:Boolean?=false", "--api-server:Service?", "--actor:String?"])
    expect(flags("status")).toEqual(["--env:String", "--kubeconfig:Secret?", "--api-server:Service?"])
    expect(flags("withDeployWebhook")).toEqual(["--url:Secret"])
    expect(flags("withRuntimeSecret")).toEqual(["--key:String", "--value:Secret"])
    expect(flags("withAwsCredentials")).toEqual(["--access-key-id:Secret", "--secret-access-key:Secret", "--session-token:Secret?"])
    for (const f of ["deploy", "rollback"]) expect(fn(f).returns, f).toBe("Directory")
    expect(fn("status").returns).toBe("String")
  })

  it("takes at most six arguments in any function", () => {
    for (const f of main().functions) expect(f.args.length, f.name).toBeLessThanOrEqual(6)
  })

  it("has the documented flags for scan, sbom, toolkit, health-check, smoke and smoke-images", () => {
    const flags = (name: string) => fn(name).args.map((a) => `${a.flag}:${a.type}${a.optional ? "?" : ""}`)
    expect(flags("toolkit")).toEqual([])
    expect(fn("toolkit").returns).toBe("Container")
    expect(flags("scan")).toEqual(["--platforms:[String]?"])
    expect(fn("scan").returns).toBe("Directory")
    expect(flags("scanSource")).toEqual([])
    expect(fn("scanSource").returns).toBe("String")
    expect(flags("sbom")).toEqual(["--platforms:[String]?"])
    expect(fn("sbom").returns).toBe("Directory")
    expect(flags("healthCheck")).toEqual(["--url:[String]?", "--env:String?"]) // environment names come from the config file
    expect(flags("smoke")).toEqual(["--url:String", "--write:Boolean?"])
    expect(flags("smokeImages")).toEqual(["--platform:Platform?"])
    for (const f of ["healthCheck", "smoke", "smokeImages"]) expect(fn(f).returns, f).toBe("String")
    expect(flags("browserCheck")).toEqual(["--url:String?", "--env:String?", "--timeout:String?", "--expect-version:String?", "--allow-failure:Boolean?"])
    expect(fn("browserCheck").returns).toBe("Directory")
  })

  it("declares the closed sets as enums", async () => {
    const mod = (await import("./support/surface.mjs")).scanModule
    const scanned = (await mod()) as { enums: Record<string, { values: Record<string, { value: string }> }> }
    expect(Object.keys(scanned.enums).sort()).toEqual(["ReleaseStep", "Severity"])
    expect(Object.values(scanned.enums.Severity!.values).map((v) => v.value)).toEqual(["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"])
    expect(Object.values(scanned.enums.ReleaseStep!.values).map((v) => v.value)).toEqual(["tests", "smoke"])
  }, 60_000)

  it("exposes the scan policy's settings", () => {
    expect(surface.objects.ScanPolicy!.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["severity:[Severity]", "ignoreUnfixed:Boolean", "ignorefile:File", "dbRepository:String"])
  })

  it("exposes the Build object's per-platform images", () => {
    const build = surface.objects.Build!
    expect(build.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["platforms:[String]", "backend:[Container]", "frontend:[Container]"])
  })

  it("documents every function and argument with a short imperative sentence", () => {
    for (const f of main().functions) {
      expect(f.description, f.name).toMatch(/^[A-Z][a-z]+ /)
      expect(f.description.length, f.name).toBeLessThanOrEqual(120)
      for (const a of f.args) expect(a.description, `${f.name} ${a.name}`).not.toBe("")
    }
    expect(main().constructor[0]!.description).not.toBe("")
  })

  it("avoids argument names that collide with dagger call's own flags", () => {
    const reserved = new Set(["output", "json", "mod", "workdir", "progress", "debug", "silent", "quiet", "verbose", "interactive", "web", "lock", "cloud"])
    const all = [...main().constructor, ...main().functions.flatMap((f) => f.args)]
    expect(all.filter((a) => reserved.has(a.flag.slice(2)))).toEqual([])
  })

  it("prints like `dagger functions` for the README", () => {
    const text = renderFunctions(surface)
    expect(text).toContain("test-reports")
    expect(text).toContain("[--platforms=linux/amd64,linux/arm64]")
    expect(text).toContain("[check, cache=session]")
  })
})
