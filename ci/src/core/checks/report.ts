/**
 * The health report for people (the guide's "health report generation"): Markdown for a GitHub step summary or a file.
 */
import type { CheckResult, HealthReport } from "./model.js";
import { describeFailure } from "./verdict.js";

const MARK: Record<CheckResult["verdict"], string> = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ fail", unreachable: "⛔ unreachable" };

export function renderMarkdown(report: HealthReport, title: string): string {
  const lines = [
    `# ${title}`,
    "",
    `**Verdict: ${MARK[report.verdict]}** · ${report.checks.length} check${report.checks.length === 1 ? "" : "s"} · started ${report.startedAt} · ${report.durationMs} ms`,
    "",
    "| Check | Verdict | Latency (ms) | Attempts | URL |",
    "|---|---|---|---|---|",
    ...report.checks.map((c) => `| ${escape(c.name)} | ${MARK[c.verdict]} | ${latency(c)} | ${c.attempts} | ${escape(c.url)} |`),
  ];
  const problems = report.checks.filter((c) => c.verdict !== "pass");
  if (problems.length > 0) {
    lines.push("", "## Findings", "");
    for (const check of problems) {
      lines.push(`### ${escape(check.name)} (${check.verdict})`, "");
      for (const a of check.assertions.filter((x) => !x.ok)) lines.push(`- ${escape(describeFailure(a))}`);
      lines.push("");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** One line per check and one per failed assertion, for terminals. */
export function renderText(report: HealthReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${check.verdict.toUpperCase().padEnd(11)} ${check.name} (${latency(check)} ms, ${check.attempts} attempt${check.attempts === 1 ? "" : "s"})`);
    for (const a of check.assertions.filter((x) => !x.ok)) lines.push(`            ${describeFailure(a)}`);
  }
  lines.push(`verdict: ${report.verdict} (${report.checks.length} check${report.checks.length === 1 ? "" : "s"} in ${report.durationMs} ms)`);
  return lines.join("\n");
}

function latency(check: CheckResult): string {
  if (check.latenciesMs.length === 0) return "–";
  return String(Math.max(...check.latenciesMs));
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
