/** `hello-ci scan-gate`: apply the scan policy to Trivy JSON reports; exit 0 pass, 1 blocked, 2 bad input. */
import { Command } from "commander";
import { z } from "zod";
import { evaluateScanGate } from "../core/scan/gate.js";
import { parseIgnoreFile } from "../core/scan/ignore.js";
import { parseTrivyReport } from "../core/scan/report.js";
import { parseSeverityList } from "../core/scan/severity.js";
import { renderScanSummary } from "../core/scan/summary.js";
import { ExitCode } from "../errors.js";
import type { Io } from "../io.js";
import type { Severity } from "../schemas/trivy-report.js";
import { readInput, writeOutput } from "./files.js";
import { collect, parseOptions } from "./parse-options.js";

export const scanGateOptionsSchema = z.object({
  report: z.array(z.string().min(1), { error: "missing: give at least one --report trivy.json" }).min(1),
  severity: z
    .string()
    .default("HIGH,CRITICAL")
    .transform((text, ctx): Severity[] => {
      const parsed = parseSeverityList(text);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.reason });
      return z.NEVER;
    }),
  ignoreUnfixed: z.boolean().default(false),
  ignorefile: z.string().min(1).optional(),
  summary: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
export type ScanGateOptions = z.infer<typeof scanGateOptionsSchema>;

export function scanGateCommand(io: Io): Command {
  return new Command("scan-gate")
    .description("decide from Trivy JSON reports whether a release may proceed (exit 0 pass, 1 blocked)")
    .option("--report <file>", "Trivy JSON report (SchemaVersion 2), repeatable: one per image variant", collect)
    .option("--severity <list>", "severities that block, comma-separated", "HIGH,CRITICAL")
    .option("--ignore-unfixed", "ignore vulnerabilities whose status is not 'fixed' (Trivy's --ignore-unfixed)")
    .option("--ignorefile <file>", "Trivy ignore file: .trivyignore.yaml (with expired_at) or plain .trivyignore")
    .option("--summary <file>", "write the Markdown summary to this file")
    .option("--json", "print the verdict as JSON (schema hello-ci/scan-verdict@1) instead of the Markdown summary")
    .action(async (raw: Record<string, unknown>) => {
      const options = parseOptions(scanGateOptionsSchema, raw, "scan-gate");
      const reports = [];
      for (const file of options.report) reports.push({ source: file, report: parseTrivyReport(file, await readInput(io, file, "report")) });
      const ignore = options.ignorefile ? parseIgnoreFile(options.ignorefile, await readInput(io, options.ignorefile, "ignore file")) : undefined;
      const verdict = evaluateScanGate(reports, { severities: options.severity, ignoreUnfixed: options.ignoreUnfixed, ignore }, io.now());
      const markdown = renderScanSummary(verdict);
      if (options.summary) await writeOutput(io, options.summary, "summary", markdown);
      io.out(options.json ? JSON.stringify(verdict, null, 2) : markdown);
      if (verdict.decision === "block") {
        io.err(`hello-ci: scan-gate ${verdict.reason}`);
        io.exitCode = ExitCode.CheckFailed;
      }
    });
}
