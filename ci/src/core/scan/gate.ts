/**
 * The scan gate: Trivy reports + policy → `{decision, reason, blocking[]}`.
 *
 * Rule order per finding (Trivy's own filter order, pkg/result/filter.go), a tested contract:
 * 1. A misconfiguration whose Status is not FAIL is no finding at all.
 * 2. Severity outside the policy's set → counted, not blocking.
 * 3. `--ignore-unfixed`: a vulnerability whose Status is anything but `fixed` is ignored (Trivy's shorthand for
 *    `--ignore-status` of every other status); a vulnerability with no Status is ignored when it has no FixedVersion.
 * 4. An active ignore-file entry → ignored, with its statement as the reason.
 * 5. Otherwise blocking; if an expired entry matched, the finding is also listed under expiredIgnores.
 * The gate blocks when any finding is blocking.
 */
import type { ExpiredIgnore, Finding, IgnoredFinding, ReportSummary, ScanVerdict, SeverityCounts } from "../../schemas/scan-verdict.js";
import type { Severity, TrivyReport, TrivyResult } from "../../schemas/trivy-report.js";
import { matchIgnore, type IgnorePolicy, type IgnoreSubject } from "./ignore.js";
import { emptyCounts, formatCounts } from "./severity.js";

export interface ScanPolicy {
  severities: readonly Severity[];
  ignoreUnfixed: boolean;
  ignore?: IgnorePolicy | undefined;
}

export interface LoadedReport {
  /** Where the report came from (file path), to tell image variants apart. */
  source: string;
  report: TrivyReport;
}

interface Candidate {
  finding: Finding;
  subject: IgnoreSubject;
  unfixed: boolean;
}

function candidates(source: string, artifact: string, result: TrivyResult): Candidate[] {
  const base = { report: source, artifact, target: result.Target };
  const out: Candidate[] = [];
  for (const v of result.Vulnerabilities) {
    out.push({
      finding: {
        kind: "vulnerability",
        id: v.VulnerabilityID,
        severity: v.Severity,
        ...base,
        pkgName: v.PkgName,
        installedVersion: v.InstalledVersion,
        ...(v.FixedVersion ? { fixedVersion: v.FixedVersion } : {}),
        ...(v.Status ? { status: v.Status } : {}),
        ...(v.Title ? { title: v.Title } : {}),
        ...(v.PrimaryURL ? { url: v.PrimaryURL } : {}),
      },
      subject: { kind: "vulnerability", ids: [v.VulnerabilityID], paths: [result.Target, v.PkgPath ?? ""], purl: v.PkgIdentifier?.PURL },
      unfixed: v.Status !== undefined ? v.Status !== "fixed" : !v.FixedVersion,
    });
  }
  for (const s of result.Secrets) {
    out.push({
      finding: { kind: "secret", id: s.RuleID, severity: s.Severity, ...base, ...(s.Title ? { title: s.Title } : {}) },
      subject: { kind: "secret", ids: [s.RuleID], paths: [result.Target] },
      unfixed: false,
    });
  }
  for (const m of result.Misconfigurations) {
    if (m.Status !== undefined && m.Status !== "FAIL") continue;
    const ids = [m.ID, m.AVDID].filter((id): id is string => id !== undefined && id !== "");
    out.push({
      finding: { kind: "misconfiguration", id: ids[0] ?? "(no id)", severity: m.Severity, ...base, ...(m.Title ? { title: m.Title } : {}), ...(m.PrimaryURL ? { url: m.PrimaryURL } : {}) },
      subject: { kind: "misconfiguration", ids, paths: [result.Target] },
      unfixed: false,
    });
  }
  for (const l of result.Licenses) {
    out.push({
      finding: { kind: "license", id: l.Name, severity: l.Severity, ...base, ...(l.PkgName ? { pkgName: l.PkgName } : {}), ...(l.Category ? { title: `license category ${l.Category}` } : {}) },
      subject: { kind: "license", ids: [l.Name], paths: [l.FilePath || result.Target] },
      unfixed: false,
    });
  }
  return out;
}

function add(counts: SeverityCounts, severity: Severity): void {
  counts[severity] += 1;
}

export function evaluateScanGate(reports: readonly LoadedReport[], policy: ScanPolicy, now: Date): ScanVerdict {
  const blocking: Finding[] = [];
  const ignored: IgnoredFinding[] = [];
  const expiredIgnores: ExpiredIgnore[] = [];
  const total = emptyCounts();
  const summaries: ReportSummary[] = [];

  for (const { source, report } of reports) {
    const artifact = report.ArtifactName ?? source;
    const summary: ReportSummary = {
      report: source,
      artifact,
      ...(report.ArtifactType ? { artifactType: report.ArtifactType } : {}),
      counts: emptyCounts(),
      blocking: 0,
      ignored: 0,
      targets: [],
    };
    for (const result of report.Results) {
      const targetCounts = emptyCounts();
      for (const { finding, subject, unfixed } of candidates(source, artifact, result)) {
        add(targetCounts, finding.severity);
        add(summary.counts, finding.severity);
        add(total, finding.severity);
        if (!policy.severities.includes(finding.severity)) continue;
        if (policy.ignoreUnfixed && finding.kind === "vulnerability" && unfixed) {
          ignored.push({ ...finding, ignoredBy: "unfixed", reason: finding.status ? `unfixed (status ${finding.status})` : "unfixed (no fixed version)" });
          summary.ignored += 1;
          continue;
        }
        const match = matchIgnore(policy.ignore, subject, now);
        if (match?.state === "active") {
          const until = match.entry.expired_at ? ` until ${match.entry.expired_at.toISOString().slice(0, 10)}` : "";
          ignored.push({ ...finding, ignoredBy: "ignorefile", reason: `${match.entry.statement ?? "listed in the ignore file"}${until}` });
          summary.ignored += 1;
          continue;
        }
        blocking.push(finding);
        summary.blocking += 1;
        if (match?.state === "expired" && match.entry.expired_at) {
          expiredIgnores.push({ ...finding, expiredAt: match.entry.expired_at.toISOString(), ...(match.entry.statement ? { statement: match.entry.statement } : {}) });
        }
      }
      summary.targets.push({
        target: result.Target,
        ...(result.Class ? { class: result.Class } : {}),
        ...(result.Type ? { type: result.Type } : {}),
        counts: targetCounts,
      });
    }
    summaries.push(summary);
  }

  const blockingCounts = emptyCounts();
  for (const finding of blocking) add(blockingCounts, finding.severity);
  const levels = policy.severities.join(",");
  const images = new Set(blocking.map((f) => f.report)).size;
  const notes = [
    ignored.length > 0 ? `${ignored.length} ignored` : "",
    expiredIgnores.length > 0 ? `${expiredIgnores.length} no longer hidden by an expired ignore` : "",
  ].filter((note) => note !== "");
  const suffix = notes.length > 0 ? ` (${notes.join(", ")})` : "";
  const reason =
    blocking.length > 0
      ? `blocked: ${blocking.length} finding${blocking.length === 1 ? "" : "s"} at ${levels} (${formatCounts(blockingCounts)}) in ${images} of ${reports.length} report${reports.length === 1 ? "" : "s"}${suffix}`
      : `passed: no finding at ${levels} in ${reports.length} report${reports.length === 1 ? "" : "s"}${suffix}`;

  return {
    schema: "hello-ci/scan-verdict@1",
    decision: blocking.length > 0 ? "block" : "pass",
    reason,
    policy: {
      severities: [...policy.severities],
      ignoreUnfixed: policy.ignoreUnfixed,
      ...(policy.ignore ? { ignorefile: policy.ignore.file } : {}),
      evaluatedAt: now.toISOString(),
    },
    counts: total,
    reports: summaries,
    blocking,
    ignored,
    expiredIgnores,
  };
}
