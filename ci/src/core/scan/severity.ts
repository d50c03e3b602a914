/** Severity lists for `--severity`, validated against Trivy's five levels. */
import { severities, type Severity } from "../../schemas/trivy-report.js";
import type { SeverityCounts } from "../../schemas/scan-verdict.js";

/** Highest first, the order of every summary. */
export const severityOrder: readonly Severity[] = [...severities].reverse();

export type SeverityListParse = { ok: true; value: Severity[] } | { ok: false; reason: string };

export function parseSeverityList(text: string): SeverityListParse {
  const names = text
    .split(",")
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== "");
  if (names.length === 0) return { ok: false, reason: `empty severity list: use a comma-separated subset of ${severityOrder.join(",")}` };
  const unknown = names.filter((name) => !(severities as readonly string[]).includes(name));
  if (unknown.length > 0) return { ok: false, reason: `unknown severity ${unknown.join(", ")}: use a comma-separated subset of ${severityOrder.join(",")}` };
  return { ok: true, value: severityOrder.filter((severity) => names.includes(severity)) };
}

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

export function formatCounts(counts: SeverityCounts): string {
  const parts = severityOrder.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}
