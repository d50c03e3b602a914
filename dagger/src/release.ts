/**
 * Release: plan → provenance → test → build every platform → scan gate → smoke → SBOMs → publish every tag with
 * all platform variants → sign the digests and attest SBOMs and provenance → a report directory. Nothing is pushed
 * before every gate passed.
 */
import { Directory, File, Service, dag } from "@dagger.io/dagger"

import { ReleaseStamp, releaseVariants } from "./build.js"
import { smokeStack, verdictOrThrow } from "./health.js"
import { PublishTarget, PublishedImage, RegistryAuth, indexPlatforms, publishImage, registryHost } from "./publish.js"
import { provenanceFileName, writeProvenance } from "./provenance.js"
import { ReleaseOutcome, releaseReport } from "./release-report.js"
import { Prepared, ReleaseRequest } from "./release-request.js"
import { SbomFormat, sbomFileName, sboms } from "./sbom.js"
import { ScanOutcome, runScan } from "./scan.js"
import { DRY_RUN_REGISTRY_HOST, REGISTRY_PORT, registryService } from "./services.js"
import { Attestation, PredicateType, SigningMode, cosign, dockerConfigSecret, signDigest } from "./sign.js"
import { ReleasePlan, parseReleasePlan } from "./toolkit-json.js"
import { okOrThrow, runToolkit } from "./toolkit-run.js"
import { App, Variant, appOf, variantsOf } from "./variants.js"

/** Return where images are pushed: the dry run swaps the registry host for the throwaway registry. */
export function publishRegistry(req: Pick<ReleaseRequest, "registry" | "dryRun">): string {
  if (!req.dryRun) return req.registry
  const path = req.registry.split("/").slice(1).join("/")
  return [`${DRY_RUN_REGISTRY_HOST}:${REGISTRY_PORT}`, path].filter((p) => p !== "").join("/")
}

/** Ask the toolkit for the version, tags and OCI labels of both images. */
export async function planRelease(
  req: Pick<ReleaseRequest, "toolkit" | "version" | "revision" | "registry" | "repositoryUrl" | "dryRun" | "cacheBuster">,
): Promise<ReleasePlan> {
  const images = [App.Backend, App.Frontend].flatMap((app) => ["--image", `${publishRegistry(req)}/${app}`])
  const repository = req.repositoryUrl ? ["--source", req.repositoryUrl, "--url", req.repositoryUrl] : []
  const args = ["release-plan", "--version", req.version, "--sha", req.revision, ...images, ...repository, "--licenses", "Apache-2.0", "--json"]
  const run = await okOrThrow(await runToolkit(req.toolkit, args, { fresh: req.cacheBuster }), { refusal: "release-plan rejected the input" })
  return parseReleasePlan(await run.stdout())
}

/** Turn the plan into build args and per-app labels. */
export function stampOf(plan: ReleasePlan): ReleaseStamp {
  const labels = Object.fromEntries(plan.images.map((img) => [appOf(img.name), img.labels])) as ReleaseStamp["labels"]
  return { version: plan.version, revision: plan.revision, created: plan.created, labels }
}

/** Explain a blocked gate and where its reports are; nothing was published. */
export function gateMessage(scan: ScanOutcome, platforms: readonly string[]): string {
  return [
    `release blocked by the scan gate (${scan.reason}). Nothing was published.`,
    `Get the reports (JSON, SARIF, table, scan-summary.md): dagger call scan --platforms ${platforms.join(",")} export --path release/scan`,
  ].join("\n")
}

/** Run the release images as a stack (backend, PostgreSQL, Redis, frontend) on the engine's platform and smoke-test it. */
export async function smokeGate(req: ReleaseRequest, variants: readonly Variant[]): Promise<string> {
  const host = String(await dag.defaultPlatform())
  const pick = (app: App) => variantsOf(variants, app).find((v) => v.platform === host) ?? variantsOf(variants, app)[0]!
  const backend = pick(App.Backend)
  const run = await smokeStack(req.toolkit, backend.container, pick(App.Frontend).container, req.cacheBuster)
  verdictOrThrow(`smoke of the release images (${backend.platform})`, run)
  return run.report
}

/** Test, build, scan-gate, smoke and SBOM-check; throw at the first gate that fails, before anything is pushed. */
export async function prepareRelease(req: ReleaseRequest, plan: ReleasePlan): Promise<Prepared> {
  if (!req.skipTests) await req.runTests()
  const variants = releaseVariants(req.source, req.platforms, stampOf(plan), req.frontendUrls)
  await Promise.all(variants.map((v) => v.container.sync()))
  const scan = await runScan(req.toolkit, variants, { policy: req.policy, fresh: req.cacheBuster })
  if (scan.decision === "block") throw new Error(gateMessage(scan, req.platforms))
  const smoke = req.skipSmoke ? undefined : await smokeGate(req, variants)
  const sbomDir = await sboms(req.toolkit, variants)
  return { variants, scan, sbomDir, ...(smoke === undefined ? {} : { smoke }) }
}

/** Write the SLSA provenance predicate of every planned image, before anything is pushed; throw if the toolkit refuses one. */
export async function provenanceFiles(
  req: Pick<ReleaseRequest, "toolkit" | "version" | "platforms" | "repositoryUrl" | "startedOn" | "invocationId" | "cacheBuster">, plan: ReleasePlan,
): Promise<Map<App, File>> {
  const platforms = [...req.platforms]
  const files = plan.images.map(async (img) => {
    const app = appOf(img.name)
    const input = {
      app, image: img.name, version: req.version, revision: plan.revision, platforms, startedOn: req.startedOn,
      ...(req.repositoryUrl ? { repositoryUrl: req.repositoryUrl } : {}), ...(req.invocationId ? { invocationId: req.invocationId } : {}),
    }
    return [app, await writeProvenance(req.toolkit, input, req.cacheBuster)] as const
  })
  return new Map(await Promise.all(files))
}

/** What is attached to one image's index digest: CycloneDX and SPDX SBOMs per platform, then its provenance. */
export function attestationsOf(image: PublishedImage, prepared: Prepared, provenances: ReadonlyMap<App, File>): Attestation[] {
  const app = appOf(image.name)
  const sbomTypes = [[SbomFormat.CycloneDx, PredicateType.CycloneDx], [SbomFormat.Spdx, PredicateType.SpdxJson]] as const
  const sboms = variantsOf(prepared.variants, app).flatMap((v) =>
    sbomTypes.map(([format, type]) => ({ name: sbomFileName(v, format), file: prepared.sbomDir.file(sbomFileName(v, format)), type })),
  )
  const predicate = provenances.get(app)
  if (!predicate) throw new Error(`no provenance was written for ${image.name}`)
  return [...sboms, { name: provenanceFileName(app), file: predicate, type: PredicateType.SlsaProvenance1 }]
}

/** The registry credentials of the request, addressed to its registry host, when given. */
function registryAuth(req: Pick<ReleaseRequest, "registry" | "username" | "password">): RegistryAuth | undefined {
  return req.username && req.password ? { address: registryHost(req.registry), username: req.username, password: req.password } : undefined
}

/** Sign every published index digest and attach its SBOMs (both formats, every platform) and its provenance. */
export async function signAll(req: ReleaseRequest, published: readonly PublishedImage[], prepared: Prepared, provenances: ReadonlyMap<App, File>): Promise<boolean> {
  if (req.signing.mode === SigningMode.None) return false
  const auth = registryAuth(req)
  const ctr = cosign(req.signing, auth ? await dockerConfigSecret(auth) : undefined, req.cacheBuster)
  for (const image of published) {
    await signDigest(ctr, req.signing, `${image.name}@${image.digest}`, attestationsOf(image, prepared, provenances))
  }
  return true
}

/** Read each pushed index back from the throwaway registry and require every platform; return digests per platform. */
export async function verifyDryRun(req: ReleaseRequest, registry: Service, published: readonly PublishedImage[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {}
  for (const image of published) {
    const repository = image.name.split("/").slice(1).join("/")
    out[image.name] = await indexPlatforms(req.toolkit, registry, repository, image.digest, req.platforms)
  }
  return out
}

/** Publish both images (to the throwaway registry on a dry run), verify and sign. */
export async function shipRelease(
  req: ReleaseRequest, plan: ReleasePlan, prepared: Prepared, provenances: ReadonlyMap<App, File>,
): Promise<Omit<ReleaseOutcome, "plan" | "prepared" | "provenances">> {
  const registry = req.dryRun ? registryService(req.cacheBuster) : undefined
  const auth = registryAuth(req)
  const target: PublishTarget = registry ? { registryService: registry } : auth ? { auth } : {}
  if (registry) await registry.start()
  try {
    const publishOne = (img: ReleasePlan["images"][number]) => publishImage(img, variantsOf(prepared.variants, appOf(img.name)), target)
    const published = await Promise.all(plan.images.map(publishOne))
    const platformDigests = registry ? await verifyDryRun(req, registry, published) : {}
    const signed = req.dryRun ? false : await signAll(req, published, prepared, provenances)
    return { published, platformDigests, signed, dryRun: req.dryRun, signing: req.dryRun ? SigningMode.None : req.signing.mode }
  } finally {
    if (registry) await registry.stop()
  }
}

/** Run the whole release and return its report directory. */
export async function release(req: ReleaseRequest): Promise<Directory> {
  const plan = await planRelease(req)
  const provenances = await provenanceFiles(req, plan) // refuses a bad --repository-url before anything is built
  const prepared = await prepareRelease(req, plan)
  const shipped = await shipRelease(req, plan, prepared, provenances)
  return releaseReport(req.toolkit, { plan, prepared, provenances, ...shipped })
}
