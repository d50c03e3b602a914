/** Trivy report text → validated report. A corrupt, truncated or non-v2 report is invalid input (exit 2), never a pass. */
import { describeZodError, UsageError } from "../../errors.js";
import { trivyReportSchema, type TrivyReport } from "../../schemas/trivy-report.js";

export function parseTrivyReport(source: string, text: string): TrivyReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UsageError(`report ${source} is not JSON (truncated or corrupt?): ${detail}`, {
      suggestion: "re-run trivy with --format json --output <file>",
      cause: error,
    });
  }
  const parsed = trivyReportSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(describeZodError(parsed.error, `report ${source} is not a Trivy JSON report v2`).split("; ").slice(0, 3).join("; "), {
      suggestion: "use trivy --format json (SchemaVersion 2)",
    });
  }
  return parsed.data;
}
