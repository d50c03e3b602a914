/** The gate's Markdown summary (for `$GITHUB_STEP_SUMMARY` and the release report). Pure. */
import type { Finding, ScanVerdict } from "../../schemas/scan-verdict.js";
import { severityOrder } from "./severity.js";

const cell = (text: string | undefined): string => (text ?? "").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function findingRow(f: Finding): string {
  const id = f.url ? `[${cell(f.id)}](${f.url})` : cell(f.id);
  return `| ${f.severity} | ${id} | ${cell(f.pkgName ?? f.kind)} | ${cell(f.installedVersion)} | ${cell(f.fixedVersion) || "—"} | ${cell(f.artifact)} | ${cell(f.target)} |`;
}

export function renderScanSummary(verdict: ScanVerdict): string {
  const icon = verdict.decision === "pass" ? "✅" : "❌";
  const lines: string[] = [
    `## ${icon} Scan gate: ${verdict.decision === "pass" ? "passed" : "blocked"}`,
    "",
    verdict.reason,
    "",
    `Policy: severities ${verdict.policy.severities.join(",")}; ignore-unfixed ${verdict.policy.ignoreUnfixed ? "on" : "off"}; ignore file ${verdict.policy.ignorefile ?? "none"}.`,
    "",
    "### Findings by severity",
    "",
    `| Image / target | ${severityOrder.join(" | ")} | Blocking | Ignored |`,
    `|---|${severityOrder.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const report of verdict.reports) {
    lines.push(`| **${cell(report.artifact)}** (${cell(report.report)}) | ${severityOrder.map((s) => report.counts[s]).join(" | ")} | ${report.blocking} | ${report.ignored} |`);
    for (const target of report.targets) {
      lines.push(`| ↳ ${cell(target.target)}${target.type ? ` (${cell(target.type)})` : ""} | ${severityOrder.map((s) => target.counts[s]).join(" | ")} | | |`);
    }
  }
  const header = ["| Severity | ID | Package | Installed | Fixed | Image | Target |", "|---|---|---|---|---|---|---|"];
  if (verdict.blocking.length > 0) {
    lines.push("", `### Blocking findings (${verdict.blocking.length})`, "", ...header, ...verdict.blocking.map(findingRow));
  }
  if (verdict.expiredIgnores.length > 0) {
    lines.push("", `### Expired ignores (${verdict.expiredIgnores.length}): these findings are no longer hidden`, "");
    for (const e of verdict.expiredIgnores) {
      lines.push(`- ${e.id} in ${cell(e.artifact)} (${cell(e.target)}): ignore expired ${e.expiredAt.slice(0, 10)}${e.statement ? ` — "${cell(e.statement)}"` : ""}`);
    }
  }
  if (verdict.ignored.length > 0) {
    lines.push("", `### Ignored findings (${verdict.ignored.length})`, "", "| Severity | ID | Package | Installed | Fixed | Image | Reason |", "|---|---|---|---|---|---|---|");
    for (const f of verdict.ignored) {
      lines.push(`| ${f.severity} | ${cell(f.id)} | ${cell(f.pkgName ?? f.kind)} | ${cell(f.installedVersion)} | ${cell(f.fixedVersion) || "—"} | ${cell(f.artifact)} | ${cell(f.reason)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
