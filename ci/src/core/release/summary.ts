/** A release record → the Markdown summary people read (and GitHub shows as the job summary). Pure. */
import { releaseRecordSchema, type ReleaseRecord } from "../../schemas/release-record.js";
import { parseJsonDocument } from "../json-document.js";

/** Validate release.json text; `source` names the file in the one-line error (exit 2). */
export function parseReleaseRecord(source: string, text: string): ReleaseRecord {
  return parseJsonDocument(releaseRecordSchema, text, {
    subject: `release record ${source}`,
    invalid: `release record ${source} is invalid`,
    notJsonHint: "pass the release.json that `dagger call release … export --path release` wrote",
    invalidHint: "expected schema helloagents/release@1",
  });
}

/** The loud banner of a release nobody can verify, or nothing. */
export function signingBanner(record: Pick<ReleaseRecord, "signed" | "dryRun">): string[] {
  if (record.signed) return [];
  const why = record.dryRun ? "this was a dry run" : "no --cosign-key and no --oidc-request-url/--oidc-request-token were given";
  return ["> [!WARNING]", `> **NOTHING WAS SIGNED OR ATTESTED** (${why}). Consumers cannot verify these images with cosign.`, ""];
}

/** The workflow identity keyless signatures carry: the release workflow of this repository, on a version tag. */
export function signerIdentityRegexp(source: string | undefined): string {
  const repo = source ? source.replace(/\/+$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : "https://github\\.com/<owner>/<repo>";
  return `^${repo}/\\.github/workflows/release\\.yml@refs/tags/v.*$`;
}

/** The commands that verify the signature and the SBOM attestation of each image, for the mode it was signed with. */
export function verifyCommands(record: ReleaseRecord): string[] {
  const how =
    record.signing === "key"
      ? "--key cosign.pub"
      : `--certificate-identity-regexp '${signerIdentityRegexp(record.source)}' --certificate-oidc-issuer https://token.actions.githubusercontent.com`;
  return record.images.flatMap((img) => [
    `cosign verify ${how} ${img.name}@${img.digest}`,
    `cosign verify-attestation --type cyclonedx ${how} ${img.name}@${img.digest}`,
    ...(img.provenance ? [`cosign verify-attestation --type slsaprovenance1 ${how} ${img.name}@${img.digest}`] : []),
  ]);
}

const code = (s: string) => `\`${s}\``;

/** Render the summary: banner, images with index digests, tags and provenance, per-platform digests, scan gate, smoke, how to verify. */
export function renderReleaseSummary(record: ReleaseRecord): string {
  const platforms = [...new Set(record.images.flatMap((img) => img.platforms.map((p) => p.platform)))];
  const counts = Object.entries(record.findings.counts).map(([severity, n]) => `${severity} ${n}`).join(" · ") || "none";
  const perPlatform = record.images.flatMap((img) =>
    img.platforms.map((p) => `| ${code(img.name)} | ${p.platform} | ${p.digest ? code(p.digest) : "not read back"} | ${code(p.sbom.cyclonedx)} |`),
  );
  return [
    `# Release ${record.version}${record.dryRun ? " (dry run: pushed to a throwaway registry only)" : ""}`,
    "",
    ...signingBanner(record),
    `Commit ${code(record.revision)} · platforms ${platforms.join(", ")} · signing: ${record.signed ? record.signing : "none"}`,
    "",
    "| image | index digest | tags | provenance |",
    "|---|---|---|---|",
    ...record.images.map((img) => `| ${code(img.name)} | ${code(img.digest)} | ${record.tags.map(code).join(" ")} | ${img.provenance ? code(img.provenance) : "none"} |`),
    "",
    "| image | platform | manifest digest | SBOM |",
    "|---|---|---|---|",
    ...perPlatform,
    "",
    `Scan gate: **${record.findings.decision}** (${record.findings.blocking} blocking; all findings: ${counts}). Details: ${code("scan/scan-summary.md")}.`,
    `Smoke: ${record.smoke.status === "passed" ? "passed (see smoke.md)" : `skipped (${record.smoke.detail})`}.`,
    "",
    ...(record.signed ? ["Verify:", "", "```", ...verifyCommands(record), "```", ""] : []),
  ].join("\n");
}
