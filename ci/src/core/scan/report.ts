/** Trivy report text → validated report. A corrupt, truncated or non-v2 report is invalid input (exit 2), never a pass. */
import { trivyReportSchema, type TrivyReport } from "../../schemas/trivy-report.js";
import { parseJsonDocument } from "../json-document.js";

export function parseTrivyReport(source: string, text: string): TrivyReport {
  return parseJsonDocument(trivyReportSchema, text, {
    subject: `report ${source}`,
    invalid: `report ${source} is not a Trivy JSON report v2`,
    notJsonHint: "re-run trivy with --format json --output <file>",
    invalidHint: "use trivy --format json (SchemaVersion 2)",
  });
}
