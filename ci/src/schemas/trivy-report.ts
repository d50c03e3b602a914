/**
 * Trivy JSON report, schema version 2 (`trivy image|fs|sbom --format json`), as far as the scan gate reads it.
 * Fields Trivy omits when empty (`Results`, `Vulnerabilities`, `FixedVersion`, `Status`…) are optional; `null`
 * (seen in older reports) counts as empty. Unknown fields pass through untouched.
 */
import { z } from "zod";

export const severities = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

/** Trivy writes an empty severity as UNKNOWN (pkg/result/filter.go); anything else outside the five is invalid. */
const reportSeverity = z.preprocess((value) => (value === "" ? "UNKNOWN" : value), severitySchema);

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

export const trivyVulnerabilitySchema = z.looseObject({
  VulnerabilityID: z.string().min(1),
  PkgID: z.string().optional(),
  PkgName: z.string(),
  PkgPath: z.string().optional(),
  PkgIdentifier: z.looseObject({ PURL: z.string().optional() }).optional(),
  InstalledVersion: z.string(),
  FixedVersion: z.string().optional(),
  /** unknown, not_affected, affected, fixed, under_investigation, will_not_fix, fix_deferred, end_of_life. */
  Status: z.string().optional(),
  Severity: reportSeverity,
  Title: z.string().optional(),
  PrimaryURL: z.string().optional(),
});
export type TrivyVulnerability = z.infer<typeof trivyVulnerabilitySchema>;

export const trivySecretSchema = z.looseObject({
  RuleID: z.string().min(1),
  Category: z.string().optional(),
  Severity: reportSeverity,
  Title: z.string().optional(),
  StartLine: z.number().optional(),
  EndLine: z.number().optional(),
});
export type TrivySecret = z.infer<typeof trivySecretSchema>;

export const trivyMisconfigurationSchema = z.looseObject({
  ID: z.string().optional(),
  AVDID: z.string().optional(),
  Title: z.string().optional(),
  Severity: reportSeverity,
  /** FAIL is a finding; PASS and EXCEPTION are not. */
  Status: z.string().optional(),
  PrimaryURL: z.string().optional(),
});
export type TrivyMisconfiguration = z.infer<typeof trivyMisconfigurationSchema>;

export const trivyLicenseSchema = z.looseObject({
  Severity: reportSeverity,
  Category: z.string().optional(),
  PkgName: z.string().optional(),
  FilePath: z.string().optional(),
  Name: z.string().min(1),
});
export type TrivyLicense = z.infer<typeof trivyLicenseSchema>;

export const trivyResultSchema = z.looseObject({
  Target: z.string(),
  Class: z.string().optional(),
  Type: z.string().optional(),
  Vulnerabilities: list(trivyVulnerabilitySchema),
  Secrets: list(trivySecretSchema),
  Misconfigurations: list(trivyMisconfigurationSchema),
  Licenses: list(trivyLicenseSchema),
});
export type TrivyResult = z.infer<typeof trivyResultSchema>;

export const trivyReportSchema = z.looseObject({
  SchemaVersion: z.literal(2, { error: "expected SchemaVersion 2 (Trivy 0.20 or later with --format json)" }),
  ArtifactName: z.string().optional(),
  ArtifactType: z.string().optional(),
  CreatedAt: z.string().optional(),
  Results: list(trivyResultSchema),
});
export type TrivyReport = z.infer<typeof trivyReportSchema>;
