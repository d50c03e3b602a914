/**
 * Release report: `summary.md` for people (and the GitHub job summary), `release.json` for machines, and every
 * scan report and SBOM, in one directory.
 */
import { Directory, dag } from "@dagger.io/dagger"

import { ReleasePlan } from "./decisions.js"
import { PublishedImage } from "./publish.js"
import type { Prepared } from "./release.js"
import { SbomFormat, sbomFileName } from "./sbom.js"
import { SigningMode } from "./sign.js"
import { appOf, variantName, variantsOf } from "./variants.js"

/** Everything a finished release knows. */
export interface ReleaseOutcome {
  readonly plan: ReleasePlan
  readonly prepared: Prepared
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
    platforms: variantsOf(o.prepared.variants, appOf(image.name)).map((v) => ({
      platform: v.platform,
      digest: o.platformDigests[image.name]?.[v.platform.split("/").slice(0, 2).join("/")] ?? null,
      scan: { json: `scan/${variantName(v)}.trivy.json`, sarif: `scan/${variantName(v)}.sarif`, table: `scan/${variantName(v)}.txt` },
      sbom: { cyclonedx: `sbom/${sbomFileName(v, SbomFormat.CycloneDx)}`, spdx: `sbom/${sbomFileName(v, SbomFormat.Spdx)}` },
    })),
  }))
  const findings = { decision: o.prepared.scan.decision, blocking: o.prepared.scan.blocking, counts: o.prepared.scan.counts }
  return { schema: "helloagents/release@1", version: o.plan.version, revision: o.plan.revision, tags: o.plan.tags, dryRun: o.dryRun, images, findings, signed: o.signed, signing: o.signing }
}

/** Return the loud banner for an unsigned release, or nothing. */
export function signingBanner(o: Pick<ReleaseOutcome, "signed" | "dryRun">): string[] {
  if (o.signed) return []
  const why = o.dryRun ? "this was a dry run" : "no --cosign-key and no --oidc-request-url/--oidc-request-token were given"
  return [`> [!WARNING]`, `> **NOTHING WAS SIGNED OR ATTESTED** (${why}). Consumers cannot verify these images with cosign.`, ""]
}

/** Return the Markdown summary of a release. */
export function releaseSummary(o: ReleaseOutcome): string {
  const rows = o.published.map((img) => `| \`${img.name}\` | \`${img.digest}\` | ${o.plan.tags.map((t) => `\`${t}\``).join(" ")} |`)
  const counts = Object.entries(o.prepared.scan.counts).map(([s, n]) => `${s} ${n}`).join(" · ")
  const verify = o.published.map((img) => `cosign verify ${img.name}@${img.digest} --certificate-identity-regexp '…/.github/workflows/release.yml@refs/tags/v.*' --certificate-oidc-issuer https://token.actions.githubusercontent.com`)
  return [
    `# Release ${o.plan.version}${o.dryRun ? " (dry run: pushed to a throwaway registry only)" : ""}`,
    "",
    ...signingBanner(o),
    `Commit \`${o.plan.revision}\` · platforms ${[...new Set(o.prepared.variants.map((v) => v.platform))].join(", ")} · signing: ${o.signed ? o.signing : "none"}`,
    "",
    "| image | digest | tags |",
    "|---|---|---|",
    ...rows,
    "",
    `Scan gate: **${o.prepared.scan.decision}** (${o.prepared.scan.blocking} blocking; all findings: ${counts}). Details: \`scan/scan-summary.md\`.`,
    `Smoke: ${o.prepared.smoke.startsWith("skipped") ? o.prepared.smoke : "passed (see smoke.md)"}.`,
    "",
    ...(o.signed ? ["Verify:", "", "```", ...verify, "```"] : []),
  ].join("\n")
}

/** Return the release directory: summary.md, release.json, scan/, sbom/ and smoke.md. */
export function releaseReport(o: ReleaseOutcome): Directory {
  return dag
    .directory()
    .withNewFile("summary.md", releaseSummary(o))
    .withNewFile("release.json", `${JSON.stringify(releaseJson(o), null, 2)}\n`)
    .withNewFile("smoke.md", o.prepared.smoke)
    .withDirectory("scan", o.prepared.scan.reports)
    .withDirectory("sbom", o.prepared.sbomDir)
}
