/** `hello-ci scan-gate`: apply the scan policy to Trivy JSON reports; exit 0 pass, 1 blocked, 2 bad input. */
import path from "node:path";
import { z } from "zod";
import { evaluateScanGate } from "../core/scan/gate.js";
import { parseIgnoreFile } from "../core/scan/ignore.js";
import { parseTrivyReport } from "../core/scan/report.js";
import { parseSeverityList } from "../core/scan/severity.js";
import { renderScanSummary } from "../core/scan/summary.js";
import type { Severity } from "../schemas/trivy-report.js";
import { defineCommand } from "./kit/define.js";
import { defaultedFlag, flag, flagsObject, repeatableFlag, switchFlag } from "./kit/flags.js";

const severityList = z.string().transform((text, ctx): Severity[] => {
  const parsed = parseSeverityList(text);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: "custom", message: parsed.reason });
  return z.NEVER;
});

const flags = {
  report: repeatableFlag(
    "<file>",
    "Trivy JSON report (SchemaVersion 2), repeatable: one per image variant",
    z
      .array(z.string().min(1), { error: "missing: give at least one --report trivy.json" })
      .min(1)
      .superRefine((files, ctx) => {
        // The same file twice would be counted twice ("1 of 2 reports"); usually another variant's report was meant.
        const seen = new Set<string>();
        for (const file of files) {
          const key = path.normalize(file);
          if (seen.has(key)) ctx.addIssue({ code: "custom", message: `${file} is given twice: pass each image variant's report once` });
          seen.add(key);
        }
      }),
  ),
  severity: defaultedFlag("<list>", "severities that block, comma-separated", severityList, "HIGH,CRITICAL"),
  ignoreUnfixed: switchFlag("ignore vulnerabilities whose status is not 'fixed' (Trivy's --ignore-unfixed)"),
  ignorefile: flag("<file>", "Trivy ignore file: .trivyignore.yaml (with expired_at) or plain .trivyignore", z.string().min(1).optional()),
  summary: flag("<file>", "write the Markdown summary to this file", z.string().min(1).optional()),
  json: switchFlag("print the verdict as JSON (schema hello-ci/scan-verdict@1) instead of the Markdown summary"),
};

export const scanGateOptionsSchema = flagsObject(flags);
export type ScanGateOptions = z.infer<typeof scanGateOptionsSchema>;

export const scanGateCommand = defineCommand({
  name: "scan-gate",
  description: "decide from Trivy JSON reports whether a release may proceed (exit 0 pass, 1 blocked)",
  flags,
  schema: scanGateOptionsSchema,
  exitCodes: "0 pass, 1 blocked, 2 invalid input (a missing, corrupt or unknown report)",
  async run(ctx, options) {
    const reports = [];
    for (const file of options.report) reports.push({ source: file, report: parseTrivyReport(file, await ctx.readFile("report", file)) });
    const ignore = options.ignorefile ? parseIgnoreFile(options.ignorefile, await ctx.readFile("ignorefile", options.ignorefile)) : undefined;
    const verdict = evaluateScanGate(reports, { severities: options.severity, ignoreUnfixed: options.ignoreUnfixed, ignore }, ctx.io.now());
    const markdown = renderScanSummary(verdict);
    if (options.summary) await ctx.writeFile("summary", options.summary, markdown);
    ctx.io.out(options.json ? JSON.stringify(verdict, null, 2) : markdown);
    if (verdict.decision === "block") ctx.checkFailed(`scan-gate ${verdict.reason}`);
  },
});
