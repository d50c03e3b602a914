/** The JSON printed by `hello-ci scan-gate --json` (schema hello-ci/scan-verdict@1). The Dagger module reads it. */
import { z } from "zod";
import { severitySchema } from "./trivy-report.js";

export const severityCountsSchema = z.object({
  CRITICAL: z.number().int(),
  HIGH: z.number().int(),
  MEDIUM: z.number().int(),
  LOW: z.number().int(),
  UNKNOWN: z.number().int(),
});
export type SeverityCounts = z.infer<typeof severityCountsSchema>;

export const findingSchema = z.object({
  kind: z.enum(["vulnerability", "secret", "misconfiguration", "license"]),
  id: z.string(),
  severity: severitySchema,
  /** The report file and its ArtifactName (the image variant). */
  report: z.string(),
  artifact: z.string(),
  target: z.string(),
  pkgName: z.string().optional(),
  installedVersion: z.string().optional(),
  fixedVersion: z.string().optional(),
  status: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const ignoredFindingSchema = findingSchema.extend({
  /** `unfixed` (--ignore-unfixed) or `ignorefile` (an active entry). */
  ignoredBy: z.enum(["unfixed", "ignorefile"]),
  reason: z.string(),
});
export type IgnoredFinding = z.infer<typeof ignoredFindingSchema>;

export const expiredIgnoreSchema = findingSchema.extend({
  /** The entry that would have hidden this finding had it not expired. */
  expiredAt: z.string(),
  statement: z.string().optional(),
});
export type ExpiredIgnore = z.infer<typeof expiredIgnoreSchema>;

export const targetSummarySchema = z.object({
  target: z.string(),
  class: z.string().optional(),
  type: z.string().optional(),
  /** All findings of the target by severity, before any policy. */
  counts: severityCountsSchema,
});

export const reportSummarySchema = z.object({
  report: z.string(),
  artifact: z.string(),
  artifactType: z.string().optional(),
  counts: severityCountsSchema,
  blocking: z.number().int(),
  ignored: z.number().int(),
  targets: z.array(targetSummarySchema),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

export const scanVerdictSchema = z.object({
  schema: z.literal("hello-ci/scan-verdict@1"),
  decision: z.enum(["pass", "block"]),
  reason: z.string(),
  policy: z.object({
    severities: z.array(severitySchema),
    ignoreUnfixed: z.boolean(),
    ignorefile: z.string().optional(),
    evaluatedAt: z.string(),
  }),
  /** All findings of all reports by severity, before any policy. */
  counts: severityCountsSchema,
  reports: z.array(reportSummarySchema),
  blocking: z.array(findingSchema),
  ignored: z.array(ignoredFindingSchema),
  /** Blocking findings that an expired ignore entry used to hide. */
  expiredIgnores: z.array(expiredIgnoreSchema),
});
export type ScanVerdict = z.infer<typeof scanVerdictSchema>;
