/**
 * HelloAgents pipeline: test, lint, build and run the platform in containers, the same way on a laptop and in CI.
 */
import { Container, Directory, File, GitRef, Platform, Secret, Service, argument, check, dag, func, object } from "@dagger.io/dagger"

import { backendTestRun, ruffCheckRun, ruffFormatRun } from "./backend.js"
import { Build, DEFAULT_PLATFORMS, backendImage, buildAll, frontendImage, releaseVariants, sourceVariants } from "./build.js"
import { devStack } from "./dev.js"
import { Environment, healthArgs, smokeStack, verdictOrThrow, verdictRun } from "./health.js"
import { planRelease, provenanceFiles, release, stampOf } from "./release.js"
import { sboms } from "./sbom.js"
import { Severity, gatePolicy, runScan, runSourceScan, sourceVerdict } from "./scan.js"
import { signingFrom } from "./sign.js"
import { toolkit } from "./toolkit.js"
import { App, variantsOf } from "./variants.js"
import { npmRun } from "./frontend.js"
import { refreshPins } from "./images.js"
import { actionlintRun } from "./lint.js"
import { FRONTEND_DIR, SOURCE_IGNOREFILE } from "./paths.js"
import { collectReports } from "./reports.js"
import { passed, runStages, verdict } from "./stages.js"

export { Build } from "./build.js"
export { Environment } from "./health.js"
export { Severity } from "./scan.js"

/** Registry the release publishes to when --registry is not given (`ghcr.io/<owner>`). */
export const DEFAULT_REGISTRY = "ghcr.io/helloagents"

/** Return a value that differs on every call, so tool runs are never served from a cached layer. */
function cacheBuster(): string {
  return new Date().toISOString()
}

/** Return the commit a contextual git ref points at, or fail saying how to give one. */
async function revisionOf(head: GitRef | undefined): Promise<string> {
  if (!head) throw new Error("release: no commit to release; run from the git repository or pass --head <git url>#<ref>")
  return head.commit()
}

/** Test, lint, build and run HelloAgents (FastAPI backend, React frontend) in containers. */
@object()
export class Helloagents {
  /** Repository files the pipeline reads (see the constructor's ignore list). */
  source: Directory

  constructor(
    /**
     * Repository to work on; defaults to the git root, keeping only the app folders and CI config.
     */
    @argument({
      defaultPath: "/",
      ignore: [
        "*",
        "!backend",
        "!frontend",
        "!.github",
        "!ci",
        "**/node_modules",
        "**/.venv",
        "**/__pycache__",
        "**/.pytest_cache",
        "**/.ruff_cache",
        "**/.mypy_cache",
        "**/.coverage",
        "**/dist",
        "**/coverage",
        "**/reports",
        "**/.nginx-run",
        "**/.git",
        "**/.DS_Store",
        "ci/test",
        "ci/bench",
      ],
    })
    source: Directory,
  ) {
    this.source = source
  }

  /** Run backend tests, frontend lint, frontend tests and the frontend build in parallel, then summarise. */
  @func({ cache: "session" })
  @check()
  async test(): Promise<string> {
    const results = await runStages([
      ["backend-test", () => this.backendTest()],
      ["frontend-lint", () => this.frontendLint()],
      ["frontend-test", () => this.frontendTest()],
      ["frontend-build", () => this.frontendBuild()],
    ])
    return verdict("test", results)
  }

  /** Collect every JUnit and coverage file, also when tests fail: `test-reports export --path reports`. */
  @func({ cache: "session" })
  testReports(): Directory {
    return collectReports(this.source)
  }

  /** Lint the backend (ruff check, ruff format), the frontend (eslint) and the GitHub workflows (actionlint). */
  @func()
  @check()
  async lint(): Promise<string> {
    const results = await runStages([
      ["ruff-check", () => passed("ruff-check", ruffCheckRun(this.source))],
      ["ruff-format", () => passed("ruff-format", ruffFormatRun(this.source))],
      ["eslint", () => this.frontendLint()],
      ["actionlint", () => passed("actionlint", actionlintRun(this.source))],
    ])
    return verdict("lint", results)
  }

  /** Build the backend image from backend/Dockerfile. */
  @func()
  backendImage(
    /** Target platform, e.g. linux/arm64; defaults to the engine's. */
    platform?: Platform,
  ): Container {
    return backendImage(this.source, platform)
  }

  /** Build the frontend image from frontend/Dockerfile. */
  @func()
  frontendImage(
    /** Target platform, e.g. linux/arm64; defaults to the engine's. */
    platform?: Platform,
  ): Container {
    return frontendImage(this.source, platform)
  }

  /** Build both images for every platform and return them. */
  @func()
  async build(
    /** Platforms to build, comma-separated on the CLI. */
    platforms: string[] = ["linux/amd64", "linux/arm64"],
  ): Promise<Build> {
    return buildAll(this.source, platforms.length > 0 ? platforms : [...DEFAULT_PLATFORMS])
  }

  /** Run the whole stack (PostgreSQL, Redis, backend, frontend on 8080): `dev up --ports 8080:8080`. */
  @func({ cache: "session" })
  dev(): Service {
    return devStack(this.source)
  }

  /** Run the backend tests (`python -m pytest`) against PostgreSQL and Redis; fail with their output. */
  @func({ cache: "session" })
  async backendTest(): Promise<Container> {
    return passed("backend-test", backendTestRun(this.source))
  }

  /** Run the frontend's `npm run lint`. */
  @func()
  async frontendLint(): Promise<Container> {
    return passed("frontend-lint", npmRun(this.source, "lint"))
  }

  /** Run the frontend's `npm test` (with coverage and JUnit). */
  @func()
  async frontendTest(): Promise<Container> {
    return passed("frontend-test", npmRun(this.source, "test"))
  }

  /** Run the frontend's `npm run build` and return `dist`. */
  @func()
  async frontendBuild(): Promise<Directory> {
    const ctr = await passed("frontend-build", npmRun(this.source, "build"))
    return ctr.directory(`${FRONTEND_DIR}/dist`)
  }

  /** Return the hello-ci toolkit container (run `node /opt/hello-ci/bin/hello-ci.js …`). */
  @func()
  toolkit(): Container {
    return toolkit(this.source)
  }

  /** Scan every image variant with Trivy, then gate: reports, scan-summary.md and scan-gate.json, also when blocked. */
  @func({ cache: "session" })
  async scan(
    /** Platforms to build and scan, comma-separated on the CLI. */
    platforms: string[] = ["linux/amd64", "linux/arm64"],
    /** Severities that block (default HIGH,CRITICAL). */
    severity?: Severity[],
    /** Ignore vulnerabilities that have no fixed version yet. */
    ignoreUnfixed = false,
    /** Trivy ignore file (.trivyignore.yaml with expired_at, or plain .trivyignore). */
    ignorefile?: File,
    /** Trivy vulnerability DB repository, e.g. a mirror; Trivy's upstream default when unset. */
    dbRepository?: string,
  ): Promise<Directory> {
    const variants = sourceVariants(this.source, platforms)
    const policy = gatePolicy(severity, ignoreUnfixed, ignorefile)
    const outcome = await runScan(toolkit(this.source), variants, { dbRepository, cacheBuster: cacheBuster() }, policy)
    return outcome.reports
  }

  /** Scan the source tree (lockfiles, requirements, secrets) with Trivy; fail on blocking findings, listing them. */
  @func({ cache: "session" })
  @check()
  async scanSource(
    /** Severities that block (default HIGH,CRITICAL). */
    severity?: Severity[],
    /** Ignore vulnerabilities that have no fixed version yet. */
    ignoreUnfixed = false,
    /** Trivy ignore file with expiring entries; defaults to the repository's ci/config/trivyignore.yaml. */
    ignorefile?: File,
    /** Trivy vulnerability DB repository, e.g. a mirror; Trivy's upstream default when unset. */
    dbRepository?: string,
  ): Promise<string> {
    const policy = gatePolicy(severity, ignoreUnfixed, ignorefile ?? this.source.file(SOURCE_IGNOREFILE))
    return sourceVerdict(await runSourceScan(toolkit(this.source), this.source, { dbRepository, cacheBuster: cacheBuster() }, policy))
  }

  /** Write CycloneDX and SPDX JSON SBOMs for every image variant, each checked by hello-ci sbom-check. */
  @func()
  async sbom(
    /** Platforms to build, comma-separated on the CLI. */
    platforms: string[] = ["linux/amd64", "linux/arm64"],
  ): Promise<Directory> {
    return sboms(toolkit(this.source), sourceVariants(this.source, platforms))
  }

  /** Release the images: plan, test, build, scan-gate, smoke, publish, sign and attest; return the report directory. */
  @func({ cache: "never" })
  async release(
    /** Version to release, vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v1.2.3. */
    version: string,
    /** Registry and owner the images go to: <registry>/helloagents-backend and …-frontend. */
    registry = DEFAULT_REGISTRY,
    /** Repository web URL for the OCI source/url labels and the signer identity, e.g. https://github.com/acme/helloagents. */
    repositoryUrl?: string,
    /** Registry user name (with --password). */
    username?: string,
    /** Registry password or token, e.g. env://GHCR_TOKEN. */
    password?: Secret,
    /** Platforms to build and publish, comma-separated on the CLI. */
    platforms: string[] = ["linux/amd64", "linux/arm64"],
    /** Publish to a throwaway registry service instead, then check every index lists every platform. */
    dryRun = false,
    /** Skip the test stages (they normally run before the build). */
    skipTests = false,
    /** Skip the smoke test of the release images run as services. */
    skipSmoke = false,
    /** Severities that block the release (default HIGH,CRITICAL). */
    severity?: Severity[],
    /** Ignore vulnerabilities that have no fixed version yet. */
    ignoreUnfixed = false,
    /** Trivy ignore file (.trivyignore.yaml with expired_at, or plain .trivyignore). */
    ignorefile?: File,
    /** Trivy vulnerability DB repository, e.g. a mirror; Trivy's upstream default when unset. */
    dbRepository?: string,
    /** Cosign private key for key-based signing, e.g. env://COSIGN_KEY. */
    cosignKey?: Secret,
    /** Password of the cosign key, e.g. env://COSIGN_PASSWORD. */
    cosignPassword?: Secret,
    /** GitHub OIDC request URL for keyless signing: env://ACTIONS_ID_TOKEN_REQUEST_URL. */
    oidcRequestUrl?: Secret,
    /** GitHub OIDC request token for keyless signing: env://ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
    oidcRequestToken?: Secret,
    /** Identifier of this run, recorded in the provenance, e.g. the CI run URL. */
    invocationId?: string,
    /** Commit to release; defaults to HEAD of the repository dagger runs in. */
    @argument({ defaultPath: "/" }) head?: GitRef,
  ): Promise<Directory> {
    const signing = signingFrom({ key: cosignKey, keyPassword: cosignPassword, oidcRequestUrl, oidcRequestToken })
    const policy = gatePolicy(severity, ignoreUnfixed, ignorefile)
    const started = cacheBuster()
    return release({
      source: this.source, toolkit: toolkit(this.source), version, revision: await revisionOf(head), registry, repositoryUrl, username, password,
      platforms: platforms.length > 0 ? platforms : [...DEFAULT_PLATFORMS], dryRun, skipTests, skipSmoke, policy, dbRepository,
      signing, runTests: () => this.test(), cacheBuster: started, startedOn: started, ...(invocationId ? { invocationId } : {}),
    })
  }

  /** Build every labelled release image of the plan and write its provenance, pushing nothing (the release path, checked). */
  @func()
  @check()
  async releaseDryRun(
    /** Commit to plan for; defaults to HEAD of the repository dagger runs in. */
    @argument({ defaultPath: "/" }) head?: GitRef,
  ): Promise<string> {
    const started = cacheBuster()
    const req = {
      toolkit: toolkit(this.source), version: "v0.0.0-dryrun", revision: await revisionOf(head), registry: DEFAULT_REGISTRY,
      platforms: [...DEFAULT_PLATFORMS], dryRun: false, cacheBuster: started, startedOn: started,
    }
    const plan = await planRelease(req)
    const variants = releaseVariants(this.source, DEFAULT_PLATFORMS, stampOf(plan))
    await Promise.all([...variants.map((v) => v.container.sync()), provenanceFiles(req, plan)])
    return `release dry run: built ${variants.length} images (${plan.tags.join(", ")}) and their provenance, pushed nothing`
  }

  /** Check an environment's health endpoints, or ad-hoc URLs; fail on a failed check, with the report. */
  @func({ cache: "never" })
  async healthCheck(
    /** URLs to check ad hoc (status 200 within the budget), instead of --env. */
    url?: string[],
    /** Environment whose checks to run (ci/config/environments.yaml), instead of --url. */
    env?: Environment,
  ): Promise<string> {
    const run = await verdictRun(toolkit(this.source), healthArgs(url ?? [], env), cacheBuster())
    return verdictOrThrow("health-check", run)
  }

  /** Run the platform smoke suite against a deployed console URL; fail with the report. */
  @func({ cache: "never" })
  async smoke(
    /** Base URL of the console, e.g. https://staging.helloagents.example. */
    url: string,
    /** Also create, read and delete a uniquely named agent (never against production by default). */
    write = false,
  ): Promise<string> {
    const run = await verdictRun(toolkit(this.source), ["smoke", "--url", url, ...(write ? ["--write"] : [])], cacheBuster())
    return verdictOrThrow("smoke", run)
  }

  /** Start the freshly built images (backend, PostgreSQL, Redis, frontend) as services and smoke-test them with writes. */
  @func({ cache: "session" })
  async smokeImages(
    /** Platform of the images to run; defaults to the engine's. */
    platform?: Platform,
  ): Promise<string> {
    const variants = sourceVariants(this.source, [platform ?? String(await dag.defaultPlatform())])
    const [backend] = variantsOf(variants, App.Backend)
    const [frontend] = variantsOf(variants, App.Frontend)
    const run = await smokeStack(toolkit(this.source), backend!.container, frontend!.container, cacheBuster())
    return verdictOrThrow("smoke-images", run)
  }

  /** Resolve every image tag again and print the pins to paste into dagger/src/images.ts. */
  @func({ cache: "never" })
  async pins(): Promise<string> {
    return refreshPins()
  }
}
