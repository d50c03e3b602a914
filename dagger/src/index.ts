/**
 * HelloAgents pipeline: test, lint, build, scan, release and run the platform in containers, the same way on a laptop
 * and in CI. Options that several functions share (scan policy, registry, signing) are set once with `with-*`
 * functions, which return a configured copy of the module:
 *   dagger call with-registry-auth --username me --password env://GHCR_TOKEN release --version v1.2.3
 */
import { Container, Directory, File, GitRef, Platform, Secret, Service, argument, check, dag, func, object } from "@dagger.io/dagger"

import { backendTestRun, ruffCheckRun, ruffFormatRun } from "./backend.js"
import { browserCheckArgs, chromiumRuntime, runBrowserCheck } from "./browser-check.js"
import { Build, DEFAULT_PLATFORMS, FrontendUrls, backendImage, buildAll, frontendImage, frontendUrlArgs, releaseVariants, sourceVariants } from "./build.js"
import { checkAccess, clusterToolkit, releaseImages, runDeployCommand, type ClusterAccess } from "./deploy.js"
import { devStack } from "./dev.js"
import { npmRun } from "./frontend.js"
import { healthArgs, smokeStack, verdictOrThrow, verdictRun } from "./health.js"
import { digestOf, refreshPins } from "./images.js"
import { actionlintRun } from "./lint.js"
import { FRONTEND_DIR, SOURCE_IGNOREFILE } from "./paths.js"
import { registryHost } from "./publish.js"
import { planRelease, provenanceFiles, release, stampOf } from "./release.js"
import { ReleaseStep } from "./release-request.js"
import { collectReports } from "./reports.js"
import { sboms } from "./sbom.js"
import { runScan, runSourceScan, sourceVerdict } from "./scan.js"
import { ScanPolicy, Severity, withDefaultIgnorefile } from "./scan-policy.js"
import { signingFrom } from "./sign.js"
import { passed, runStages, verdict } from "./stages.js"
import { toolkit } from "./toolkit.js"
import { okOrThrow, runToolkit } from "./toolkit-run.js"
import { App, variantsOf } from "./variants.js"

export { Build } from "./build.js"
export { ReleaseStep } from "./release-request.js"
export { ScanPolicy, Severity } from "./scan-policy.js"

/** Registry the release publishes to unless `with-registry` says otherwise (`ghcr.io/<owner>`). */
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

/** Test, lint, build, scan, release and run HelloAgents (FastAPI backend, React frontend) in containers. */
@object()
export class Helloagents {
  /** Repository files the pipeline reads (see the constructor's ignore list). */
  source: Directory
  /** Registry and owner releases publish to (`with-registry`). */
  registry: string
  /** Registry user name (`with-registry-auth`). */
  registryUsername?: string
  /** Registry password or token (`with-registry-auth`). */
  registryPassword?: Secret
  /** Repository web URL for OCI labels, provenance and the signer identity (`with-repository-url`). */
  repositoryUrl?: string
  /** What scans block on (`with-scan-policy`). */
  scanPolicy: ScanPolicy
  /** Cosign private key and its password (`with-cosign-key`). */
  cosignKey?: Secret
  cosignPassword?: Secret
  /** GitHub OIDC request URL and token for keyless signing (`with-keyless-signing`). */
  oidcRequestUrl?: Secret
  oidcRequestToken?: Secret
  /** Slack-compatible webhook notified of every deploy and rollback (`with-deploy-webhook`). */
  deployWebhook?: Secret
  /** Runtime Secret keys and their values a deploy sets first (`with-runtime-secret`), in step. */
  runtimeSecretKeys: string[]
  runtimeSecretValues: Secret[]
  /** AWS credentials for ECS environments (`with-aws-credentials`). */
  awsAccessKeyId?: Secret
  awsSecretAccessKey?: Secret
  awsSessionToken?: Secret
  /** The console's VITE_API_URL and VITE_WS_URL build args (`with-frontend-urls`); unset = the page's own origin. */
  frontendApiUrl?: string
  frontendWsUrl?: string

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
    this.registry = DEFAULT_REGISTRY
    this.scanPolicy = new ScanPolicy()
    this.runtimeSecretKeys = []
    this.runtimeSecretValues = []
  }

  /** Return a copy of this module with some settings replaced (the `with-*` functions). */
  private copy(patch: Partial<Helloagents>): Helloagents {
    return Object.assign(Object.create(Helloagents.prototype) as Helloagents, this, patch)
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

  /** Bake the console's API and WebSocket URLs into every frontend image build; nginx's CSP connect-src follows them. */
  @func()
  withFrontendUrls(
    /** API origin baked in as VITE_API_URL, e.g. https://api.example.com; empty = same origin (/api/ through nginx). */
    apiUrl?: string,
    /** WebSocket URL baked in as VITE_WS_URL, e.g. wss://api.example.com/ws; empty = the page's host over ws:/wss:. */
    wsUrl?: string,
  ): Helloagents {
    return this.copy({ frontendApiUrl: apiUrl, frontendWsUrl: wsUrl })
  }

  /** The URLs `with-frontend-urls` set, for the frontend image builds. */
  private frontendUrls(): FrontendUrls {
    return { apiUrl: this.frontendApiUrl, wsUrl: this.frontendWsUrl }
  }

  /** Build the frontend image from frontend/Dockerfile. */
  @func()
  frontendImage(
    /** Target platform, e.g. linux/arm64; defaults to the engine's. */
    platform?: Platform,
  ): Container {
    return frontendImage(this.source, platform, frontendUrlArgs(this.frontendUrls()))
  }

  /** Build both images for every platform and return them. */
  @func()
  async build(
    /** Platforms to build, comma-separated on the CLI. */
    platforms: string[] = DEFAULT_PLATFORMS,
  ): Promise<Build> {
    return buildAll(this.source, platforms, this.frontendUrls())
  }

  /** Run the whole stack (PostgreSQL, Redis, backend, frontend on 8080): `dev up --ports 8080:8080`. */
  @func({ cache: "session" })
  dev(): Service {
    return devStack(this.source, this.frontendUrls())
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

  /** Set what scans block on and where Trivy gets its DB, for scan, scan-source and release. */
  @func()
  withScanPolicy(
    /** Severities that block (default HIGH,CRITICAL). */
    severity: Severity[] = [],
    /** Ignore vulnerabilities that have no fixed version yet. */
    ignoreUnfixed = false,
    /** Trivy ignore file (.trivyignore.yaml with expired_at, or plain .trivyignore); scan-source defaults to ci/config/trivyignore.yaml. */
    ignorefile?: File,
    /** Trivy vulnerability DB repository, e.g. a mirror; Trivy's upstream default when unset. */
    dbRepository?: string,
  ): Helloagents {
    return this.copy({ scanPolicy: new ScanPolicy(severity, ignoreUnfixed, ignorefile, dbRepository) })
  }

  /** Scan every image variant with Trivy, then gate: reports, scan-summary.md and scan-gate.json, also when blocked. */
  @func({ cache: "session" })
  async scan(
    /** Platforms to build and scan, comma-separated on the CLI. */
    platforms: string[] = DEFAULT_PLATFORMS,
  ): Promise<Directory> {
    const outcome = await runScan(toolkit(this.source), sourceVariants(this.source, platforms, this.frontendUrls()), { policy: this.scanPolicy, fresh: cacheBuster() })
    return outcome.reports
  }

  /** Scan the source tree (lockfiles, requirements, secrets) with Trivy; fail on blocking findings, listing them. */
  @func({ cache: "session" })
  @check()
  async scanSource(): Promise<string> {
    const policy = withDefaultIgnorefile(this.scanPolicy, this.source.file(SOURCE_IGNOREFILE))
    return sourceVerdict(await runSourceScan(toolkit(this.source), this.source, { policy, fresh: cacheBuster() }))
  }

  /** Write CycloneDX and SPDX JSON SBOMs for every image variant, each checked by hello-ci sbom-check. */
  @func()
  async sbom(
    /** Platforms to build, comma-separated on the CLI. */
    platforms: string[] = DEFAULT_PLATFORMS,
  ): Promise<Directory> {
    return sboms(toolkit(this.source), sourceVariants(this.source, platforms, this.frontendUrls()))
  }

  /** Set the registry and owner releases publish to: images are <address>/helloagents-backend and …-frontend. */
  @func()
  withRegistry(
    /** Registry and owner, e.g. ghcr.io/acme. */
    address: string,
  ): Helloagents {
    return this.copy({ registry: address })
  }

  /** Log in to the release registry with these credentials (the password only ever as a secret). */
  @func()
  withRegistryAuth(
    /** Registry user name. */
    username: string,
    /** Registry password or token, e.g. env://GHCR_TOKEN. */
    password: Secret,
  ): Helloagents {
    return this.copy({ registryUsername: username, registryPassword: password })
  }

  /** Set the repository web URL: OCI source/url labels, provenance, and the signer identity in the release summary. */
  @func()
  withRepositoryUrl(
    /** e.g. https://github.com/acme/helloagents */
    url: string,
  ): Helloagents {
    return this.copy({ repositoryUrl: url })
  }

  /** Sign releases with a cosign key (wins over keyless signing when both are set). */
  @func()
  withCosignKey(
    /** Cosign private key, e.g. file://cosign.key or env://COSIGN_KEY. */
    key: Secret,
    /** Password of the key, e.g. env://COSIGN_PASSWORD. */
    password?: Secret,
  ): Helloagents {
    return this.copy({ cosignKey: key, cosignPassword: password })
  }

  /** Sign releases keylessly (Sigstore) with the GitHub Actions OIDC token of the job (needs `id-token: write`). */
  @func()
  withKeylessSigning(
    /** env://ACTIONS_ID_TOKEN_REQUEST_URL */
    oidcRequestUrl: Secret,
    /** env://ACTIONS_ID_TOKEN_REQUEST_TOKEN */
    oidcRequestToken: Secret,
  ): Helloagents {
    return this.copy({ oidcRequestUrl, oidcRequestToken })
  }

  /** Release the images: plan, test, build, scan-gate, smoke, publish, sign and attest; return the report directory. */
  @func({ cache: "never" })
  async release(
    /** Version to release, vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v1.2.3. */
    version: string,
    /** Platforms to build and publish, comma-separated on the CLI. */
    platforms: string[] = DEFAULT_PLATFORMS,
    /** Publish to a throwaway registry service instead, then check every index lists every platform. */
    dryRun = false,
    /** Steps to skip: tests (when CI already ran them on this commit), smoke (the images run as services). */
    skip: ReleaseStep[] = [],
    /** Identifier of this run, recorded in the provenance, e.g. the CI run URL. */
    invocationId?: string,
    /** Commit to release; defaults to HEAD of the repository dagger runs in. */
    @argument({ defaultPath: "/" }) head?: GitRef,
  ): Promise<Directory> {
    const started = cacheBuster()
    const signing = signingFrom({ key: this.cosignKey, keyPassword: this.cosignPassword, oidcRequestUrl: this.oidcRequestUrl, oidcRequestToken: this.oidcRequestToken })
    return release({
      source: this.source, toolkit: toolkit(this.source), version, revision: await revisionOf(head), registry: this.registry,
      repositoryUrl: this.repositoryUrl, username: this.registryUsername, password: this.registryPassword, platforms, dryRun, frontendUrls: this.frontendUrls(),
      skipTests: skip.includes(ReleaseStep.Tests), skipSmoke: skip.includes(ReleaseStep.Smoke), policy: this.scanPolicy, signing,
      runTests: () => this.test(), cacheBuster: started, startedOn: started, invocationId,
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
      toolkit: toolkit(this.source), version: "v0.0.0-dryrun", revision: await revisionOf(head), registry: this.registry,
      platforms: DEFAULT_PLATFORMS, dryRun: false, cacheBuster: started, startedOn: started,
    }
    const plan = await planRelease(req)
    const variants = releaseVariants(this.source, DEFAULT_PLATFORMS, stampOf(plan), this.frontendUrls())
    await Promise.all([...variants.map((v) => v.container.sync()), provenanceFiles(req, plan)])
    return `release dry run: built ${variants.length} images (${plan.tags.join(", ")}) and their provenance, pushed nothing`
  }

  /** Post the outcome of every deploy and rollback to a Slack-compatible webhook, e.g. --url env://SLACK_WEBHOOK_URL. */
  @func()
  withDeployWebhook(
    /** The webhook URL (a secret: it carries its token). */
    url: Secret,
  ): Helloagents {
    return this.copy({ deployWebhook: url })
  }

  /** Set one key of the environment's runtime Secret when deploying (the value only ever as a secret). */
  @func()
  withRuntimeSecret(
    /** The key the backend reads, e.g. OPENAI_API_KEY. */
    key: string,
    /** Its value, e.g. env://OPENAI_API_KEY. */
    value: Secret,
  ): Helloagents {
    return this.copy({ runtimeSecretKeys: [...this.runtimeSecretKeys, key], runtimeSecretValues: [...this.runtimeSecretValues, value] })
  }

  /** Use these AWS credentials for environments that deploy to ECS, e.g. the short-lived keys of configure-aws-credentials. */
  @func()
  withAwsCredentials(
    /** Access key id, e.g. env://AWS_ACCESS_KEY_ID. */
    accessKeyId: Secret,
    /** Secret access key, e.g. env://AWS_SECRET_ACCESS_KEY. */
    secretAccessKey: Secret,
    /** Session token of temporary credentials (an assumed role, GitHub OIDC), e.g. env://AWS_SESSION_TOKEN. */
    sessionToken?: Secret,
  ): Helloagents {
    return this.copy({ awsAccessKeyId: accessKeyId, awsSecretAccessKey: secretAccessKey, ...(sessionToken ? { awsSessionToken: sessionToken } : {}) })
  }

  /**
   * How the toolkit reaches the environment: a kubeconfig or AWS credentials, an optional tunnel, and for runs that
   * change it (`changes`) the webhook and runtime Secret values.
   */
  private clusterAccess(kubeconfig: Secret | undefined, apiServer: Service | undefined, changes = true): ClusterAccess {
    const runtimeSecrets = changes ? this.runtimeSecretKeys.map((key, i) => ({ key, value: this.runtimeSecretValues[i]! })) : []
    const aws = this.awsAccessKeyId && this.awsSecretAccessKey
      ? { accessKeyId: this.awsAccessKeyId, secretAccessKey: this.awsSecretAccessKey, ...(this.awsSessionToken ? { sessionToken: this.awsSessionToken } : {}) }
      : undefined
    return {
      runtimeSecrets,
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(aws ? { aws } : {}),
      ...(apiServer ? { apiServer } : {}),
      ...(changes && this.deployWebhook ? { webhook: this.deployWebhook } : {}),
    }
  }

  /** Deploy a release to an environment: blue/green on Kubernetes or ECS, undone on failure; returns the report directory. */
  @func({ cache: "never" })
  async deploy(
    /** Environment to deploy to, a name from ci/config/environments.yaml, e.g. staging. */
    env: string,
    /** Release to deploy, e.g. v1.2.3; its tags are resolved to digests before anything is applied. */
    version: string,
    /** Kubeconfig with embedded credentials for a Kubernetes environment, e.g. file://$HOME/.kube/config (kubectl config view --raw --minify --flatten); ECS environments use with-aws-credentials instead. */
    kubeconfig?: Secret,
    /** Confirm environments that require it (production). */
    yes = false,
    /** Tunnel to an API server on this machine's loopback (kind, k3d, minikube), e.g. tcp://localhost:6443. */
    apiServer?: Service,
    /** Who deploys, recorded in the history, e.g. the GitHub actor. */
    actor?: string,
  ): Promise<Directory> {
    const kit = toolkit(this.source)
    const tags = await releaseImages(kit, env, version)
    const access = this.clusterAccess(kubeconfig, apiServer)
    checkAccess("deploy", env, tags.target, access)
    const auth = this.registryUsername && this.registryPassword ? { username: this.registryUsername, password: this.registryPassword } : undefined
    const [backend, frontend] = await Promise.all(
      [tags.backend, tags.frontend].map((ref) => digestOf(ref, auth ? { address: registryHost(ref), ...auth } : undefined)),
    )
    const { ctr, args } = await clusterToolkit(kit, access)
    const flags = ["--env", env, "--version", version, "--backend-image", backend!, "--frontend-image", frontend!, ...args, ...(yes ? ["--yes"] : []), ...(actor ? ["--actor", actor] : [])]
    return runDeployCommand(ctr, ["deploy", ...flags], cacheBuster())
  }

  /** Roll an environment back to the previous revision (or one chosen): a flip while the old colour runs, else a redeploy. */
  @func({ cache: "never" })
  async rollback(
    /** Environment to roll back, e.g. production. */
    env: string,
    /** Kubeconfig with embedded credentials for a Kubernetes environment, e.g. file://$HOME/.kube/config (ECS: with-aws-credentials). */
    kubeconfig?: Secret,
    /** Revision to go back to (see status); 0 means the previous one. */
    toRevision = 0,
    /** Confirm environments that require it (production). */
    yes = false,
    /** Tunnel to an API server on this machine's loopback (kind, k3d, minikube), e.g. tcp://localhost:6443. */
    apiServer?: Service,
    /** Who rolls back, recorded in the history. */
    actor?: string,
  ): Promise<Directory> {
    const { ctr, args } = await clusterToolkit(toolkit(this.source), this.clusterAccess(kubeconfig, apiServer))
    const flags = ["--env", env, ...args, ...(toRevision > 0 ? ["--to-revision", String(toRevision)] : []), ...(yes ? ["--yes"] : []), ...(actor ? ["--actor", actor] : [])]
    return runDeployCommand(ctr, ["rollback", ...flags], cacheBuster())
  }

  /** Show what is live in an environment, its history, success rate, rollback frequency and time to restore. */
  @func({ cache: "never" })
  async status(
    /** Environment to describe, e.g. production. */
    env: string,
    /** Kubeconfig with embedded credentials for a Kubernetes environment, e.g. file://$HOME/.kube/config (ECS: with-aws-credentials). */
    kubeconfig?: Secret,
    /** Tunnel to an API server on this machine's loopback (kind, k3d, minikube), e.g. tcp://localhost:6443. */
    apiServer?: Service,
  ): Promise<string> {
    const { ctr, args } = await clusterToolkit(toolkit(this.source), this.clusterAccess(kubeconfig, apiServer, false))
    const run = await okOrThrow(await runToolkit(ctr, ["status", "--env", env, ...args], { fresh: cacheBuster() }), { refusal: "status failed" })
    return run.stdout()
  }

  /** Check an environment's health endpoints, or ad-hoc URLs; fail on a failed check, with the report. */
  @func({ cache: "never" })
  async healthCheck(
    /** URLs to check ad hoc (status 200 within the budget), instead of --env. */
    url: string[] = [],
    /** Environment whose checks to run, a name from ci/config/environments.yaml (e.g. staging), instead of --url. */
    env?: string,
  ): Promise<string> {
    const run = await verdictRun(toolkit(this.source), healthArgs(url, env), cacheBuster())
    return verdictOrThrow("health-check", run)
  }

  /** Run the platform smoke suite against a deployed console URL; fail with the report. */
  @func({ cache: "never" })
  async smoke(
    /** Base URL of the console, e.g. https://staging.helloagents.example. */
    url: string,
    /** Also create, read and delete a uniquely named agent (refused against production's URLs). */
    write = false,
  ): Promise<string> {
    const run = await verdictRun(toolkit(this.source), ["smoke", "--url", url, ...(write ? ["--write"] : [])], cacheBuster())
    return verdictOrThrow("smoke", run)
  }

  /** Load the console in headless Chromium: health badge pass, no console errors or CSP violations; report + screenshot. */
  @func({ cache: "never" })
  async browserCheck(
    /** Public URL of the console, e.g. https://staging.helloagents.example, instead of --env. */
    url?: string,
    /** Environment whose urls.frontend to load, a name from ci/config/environments.yaml (e.g. staging), instead of --url. */
    env?: string,
    /** How long to wait for the page and the health badge, e.g. 45s (default 30s). */
    timeout?: string,
    /** The release that must be live, e.g. v1.2.3: the console must show this API version. */
    expectVersion?: string,
    /** Return the report of a failed check (with its screenshot) for export instead of failing the call. */
    allowFailure = false,
  ): Promise<Directory> {
    const args = browserCheckArgs({ url, env, timeout, expectVersion })
    return runBrowserCheck(toolkit(this.source, chromiumRuntime()), args, { fresh: cacheBuster(), allowFailure })
  }

  /** Start the freshly built images (backend, PostgreSQL, Redis, frontend) as services and smoke-test them with writes. */
  @func({ cache: "session" })
  async smokeImages(
    /** Platform of the images to run; defaults to the engine's. */
    platform?: Platform,
  ): Promise<string> {
    const variants = sourceVariants(this.source, [platform ?? String(await dag.defaultPlatform())], this.frontendUrls())
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
