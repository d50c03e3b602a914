/**
 * The webhook at the end of every run (Kubernetes and ECS): one message per report; a webhook that fails is a warning
 * in the report, never the run's failure.
 */
import { renderDeployMessage } from "../core/deploy/report.js";
import type { DeployReport } from "../schemas/deploy-report.js";
import { errorLine } from "./steps.js";

/** Send the report's one-line message to `notify` when there is one; note a failure among the report's warnings. */
export async function notifyAbout(report: DeployReport, notify: ((message: string) => Promise<void>) | undefined): Promise<DeployReport> {
  if (!notify) return report;
  try {
    await notify(renderDeployMessage(report));
  } catch (error) {
    report.warnings.push(`the webhook was not notified: ${errorLine(error)}`);
  }
  return report;
}
