/**
 * Release report: `release.json` for machines (schema `helloagents/release@1`, ci/src/schemas/release-record.ts),
 * `summary.md` for people (rendered from release.json by `hello-ci release-summary`), and every scan report and SBOM,
 * in one directory. The module only gathers the facts; the toolkit writes the prose.
 */
import { Container, Directory, File, dag } from "@dagger.io/dagger"

import { OUT_DIR } from "./paths.js"
import { provenanceFileName } from "./provenance.js"
import { PublishedImage } from "./publish.js"
import { Prepared } from "./release-request.js"
import { SbomFormat, sbomFileName } from "./sbom.js"
import { SigningMode } from "./sign.js"
import { ReleasePlan } from "./toolkit-json.js"
import { runToolkit, toolkitMessage } from "./toolkit-run.js"
import { App, appOf, variantName, variantsOf } from "./variants.js"

/** Everything a finished release knows. */
export interface ReleaseOutcome {
  readonly plan: ReleasePlan
  readonly prepared: Prepared
  /** SLSA provenance predicate per app. */
  readonly provenances: ReadonlyMap<App, File>
  readonly published: readonly PublishedImage[]
  /** Per image, `os/arch` → manifest digest, read back from the registry (dry runs only). */
  readonly platformDigests: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly signed: boolean
  readonly signing: SigningMode
  readonly dryRun: boolean
}

/** Return the machine-readable record of a release (`release.json`). */
export function releaseJson(o: ReleaseOutcome): object {
  const images = o.published.map((image) => ({
    name: image.name,
    digest: image.digest,
    references: image.references,
    provenance: `provenance/${provenanceFileName(appOf(image.name))}`,
    platforms: variantsOf(o.prepared.variants, appOf(image.name)).map((v) => ({
      platform: v.platform,
      digest: o.platformDigests[image.name]?.[v.platform.split("/").slice(0, 2).join("/")] ?? null,
      scan: { json: `scan/${variantName(v)}.trivy.json`, sarif: `scan/${variantName(v)}.sarif`, table: `scan/${variantName(v)}.txt` },
      sbom: { cyclonedx: `sbom/${sbomFileName(v, SbomFormat.CycloneDx)}`, spdx: `sbom/${sbomFileName(v, SbomFormat.Spdx)}` },
    })),
  }))
  const source = o.plan.images[0]?.labels["org.opencontainers.image.source"]
  const findings = { decision: o.prepared.scan.decision, blocking: o.prepared.scan.blocking, counts: o.prepared.scan.counts }
  const smoke = o.prepared.smoke === undefined ? { status: "skipped", detail: "--skip-smoke" } : { status: "passed", detail: "smoke.md" }
  return {
    schema: "helloagents/release@1", version: o.plan.version, revision: o.plan.revision, tags: o.plan.tags, ...(source ? { source } : {}),
    dryRun: o.dryRun, images, findings, smoke, signed: o.signed, signing: o.signing,
  }
}

/**
 * Render `summary.md` from the record with the toolkit (`hello-ci release-summary`). The release has already been
 * published when this runs, so a refused record must not lose the report: the summary then says what failed instead.
 */
export async function releaseSummary(toolkit: Container, record: string): Promise<File> {
  const run = await runToolkit(toolkit.withNewFile("/in/release.json", record), ["release-summary", "--record", "/in/release.json", "--out", `${OUT_DIR}/summary.md`])
  if (run.exitCode === 0) return run.file(`${OUT_DIR}/summary.md`)
  const why = toolkitMessage(await run.stderr())
  const text = `# Release summary unavailable\n\nhello-ci release-summary failed (exit ${run.exitCode}): ${why}\n\nThe release itself finished; its record is release.json.\n`
  return dag.directory().withNewFile("summary.md", text).file("summary.md")
}

/** Return the release directory: summary.md, release.json, scan/, sbom/, provenance/ and (when the smoke gate ran) smoke.md. */
export async function releaseReport(toolkit: Container, o: ReleaseOutcome): Promise<Directory> {
  const record = `${JSON.stringify(releaseJson(o), null, 2)}\n`
  const dir = dag
    .directory()
    .withNewFile("release.json", record)
    .withFile("summary.md", await releaseSummary(toolkit, record))
    .withDirectory("scan", o.prepared.scan.reports)
    .withDirectory("sbom", o.prepared.sbomDir)
  const withProvenance = [...o.provenances].reduce((d, [app, file]) => d.withFile(`provenance/${provenanceFileName(app)}`, file), dir)
  return o.prepared.smoke === undefined ? withProvenance : withProvenance.withNewFile("smoke.md", o.prepared.smoke)
}
