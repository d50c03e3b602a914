/**
 * Words for people: the Markdown report of a deploy or rollback (GitHub step summary), its one-line webhook message,
 * and the `status` page (live state, history table, metrics).
 */
import type { DeployRecord } from "../../schemas/deploy-record.js";
import { EXIT_CODES, REPORT_SCHEMA, type DeployReport, type LiveSummary, type RunResult, type StepResult } from "../../schemas/deploy-report.js";
import type { HistoryMetrics } from "./history.js";
import { describeColour, type LiveState } from "./live.js";
import { COLOURS } from "./names.js";

const RESULT_WORDS: Record<DeployReport["result"], string> = {
  deployed: "deployed",
  rejected: "rejected before the switch (live untouched)",
  "rolled-back": "rolled back automatically",
  unreachable: "not run: the cluster or the lock was unavailable",
  failed: "FAILED: recovery incomplete, a person must look",
};

/** The history record of a run as it ends (a run that found the target unreachable is recorded as failed). */
export function closedRecord(record: DeployRecord, result: RunResult, reason: string, finishedAt: Date, durationMs: number): DeployRecord {
  return { ...record, result: result === "unreachable" ? "failed" : result, reason, finishedAt: finishedAt.toISOString(), durationMs };
}

/** Everything a report is built from, on Kubernetes and on ECS alike. */
export interface ReportParts {
  readonly kind: DeployReport["kind"];
  readonly env: string;
  readonly record: DeployRecord | undefined;
  /** What the run deployed or restored (version, images, and the colour and method where they apply). */
  readonly base: Pick<DeployReport, "version" | "images"> & Partial<Pick<DeployReport, "colour" | "method">>;
  readonly result: RunResult;
  readonly reason: string;
  readonly live: LiveSummary;
  readonly steps: readonly StepResult[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly durationMs: number;
  readonly warnings: readonly string[];
}

/** The report of a run (helloagents/deploy-report@1), its exit code from its result. */
export function deployReport(p: ReportParts): DeployReport {
  return {
    schema: REPORT_SCHEMA,
    kind: p.kind,
    env: p.env,
    ...(p.record ? { revision: p.record.revision } : {}),
    ...p.base,
    result: p.result,
    exitCode: EXIT_CODES[p.result],
    reason: p.reason,
    live: p.live,
    steps: [...p.steps],
    startedAt: p.startedAt.toISOString(),
    finishedAt: p.finishedAt.toISOString(),
    durationMs: p.durationMs,
    warnings: [...p.warnings],
  };
}

/** `deploy production v1.2.3: deployed (revision 7, green)` plus the reason: the webhook's text. */
export function renderDeployMessage(report: DeployReport): string {
  const where = [report.revision !== undefined ? `revision ${report.revision}` : "", report.colour ?? ""].filter((s) => s !== "").join(", ");
  const live = report.live.colour ? ` Live: ${report.live.colour} ${report.live.version ?? ""}`.trimEnd() + "." : "";
  return `${report.kind} ${report.env} ${report.version}: ${RESULT_WORDS[report.result]}${where ? ` (${where})` : ""}. ${report.reason}.${live}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function renderDeployMarkdown(report: DeployReport): string {
  const lines = [
    `# ${report.kind === "deploy" ? "Deploy" : "Rollback"} of ${report.version} to ${report.env}: ${RESULT_WORDS[report.result]}`,
    "",
    `**Reason:** ${report.reason}`,
    "",
    `- Revision: ${report.revision ?? "none (nothing was recorded)"}${report.method ? `, by ${report.method}` : ""}`,
    `- Colour: ${report.colour ?? "none"}`,
    `- Images: \`${report.images.backend}\`, \`${report.images.frontend}\``,
    `- Live now: ${report.live.colour ? `${report.live.colour} ${report.live.version ?? ""}`.trim() : "nothing"}${report.live.halfSwitched ? " (**half-switched**)" : ""}${report.live.confirmed ? "" : " (last seen: the cluster could not be read at the end)"}`,
    `- Duration: ${seconds(report.durationMs)} (${report.startedAt} → ${report.finishedAt}); exit code ${report.exitCode}`,
    "",
    "| # | step | outcome | detail | time |",
    "|---|---|---|---|---|",
    ...report.steps.map((s, i) => `| ${i + 1} | ${s.name} | ${s.outcome} | ${s.detail.replace(/\|/g, "\\|")} | ${seconds(s.durationMs)} |`),
  ];
  if (report.warnings.length > 0) lines.push("", "Warnings:", ...report.warnings.map((w) => `- ${w}`));
  return `${lines.join("\n")}\n`;
}

/** What every `hello-ci status --json` holds, whatever the target: the record of what is live, the lock, the history. */
export interface StatusCommon {
  schema: "helloagents/deploy-status@1";
  env: string;
  /** The record of what is live, when there is one. */
  liveRevision?: number;
  liveSince?: string;
  lock?: { holder: string; expiresAt?: string };
  history: DeployRecord[];
  metrics: HistoryMetrics;
  warnings: string[];
}

/** What `hello-ci status --json` prints for a Kubernetes environment. */
export interface StatusView extends StatusCommon {
  namespace: string;
  live: LiveState;
}

const percent = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(0)} %`);
const duration = (ms: number | undefined) => (ms === undefined ? "n/a" : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

export function renderStatus(view: StatusView): string {
  const active = view.live.active;
  const lines = [
    `# ${view.env} (namespace ${view.namespace})`,
    "",
    active
      ? `Live: **${describeColour(view.live.colours[active])}**${view.liveRevision !== undefined ? `, revision ${view.liveRevision}` : ""}${view.liveSince ? ` since ${view.liveSince}` : ""}`
      : view.live.halfSwitched
        ? `Live: **half-switched** (backend → ${view.live.services.backend ?? "nothing"}, frontend → ${view.live.services.frontend ?? "nothing"}); the next deploy or rollback converges it`
        : "Live: nothing deployed yet",
  ];
  for (const colour of COLOURS) {
    const state = view.live.colours[colour];
    if (!state.exists || colour === active) continue;
    const kept = state.scaleDownAfter ? `, kept for a flip rollback until ${state.scaleDownAfter}` : "";
    lines.push(`Idle: ${describeColour(state)}${kept}`);
  }
  if (active) lines.push(`Images: ${Object.values(view.live.colours[active].images).map((i) => `\`${i}\``).join(", ")}`);
  if (view.lock) lines.push(`Lock: held by ${view.lock.holder}${view.lock.expiresAt ? ` until ${view.lock.expiresAt}` : ""}`);
  lines.push(...renderHistory(view));
  return `${lines.join("\n")}\n`;
}

/** The history table, the metrics and the warnings: the part of `status` every target shares. */
export function renderHistory(view: Pick<StatusView, "history" | "metrics" | "warnings">): string[] {
  const m = view.metrics;
  const lines = [
    "",
    "| revision | kind | version | colour | result | started | duration | reason |",
    "|---|---|---|---|---|---|---|---|",
    ...view.history.map(
      (r) =>
        `| ${r.revision} | ${r.kind}${r.method ? ` (${r.method})` : ""} | ${r.version} | ${r.colour ?? "-"} | ${r.result} | ${r.startedAt} | ${r.durationMs !== undefined ? duration(r.durationMs) : ""} | ${r.reason.replace(/\|/g, "\\|")} |`,
    ),
    "",
    `Deploys: ${m.deploys}, succeeded ${m.succeeded} (success rate ${percent(m.successRate)}); rollbacks ${m.rollbacks} (${percent(m.rollbackFrequency)} of deploys)`,
    `DORA: deployment frequency ${m.deploymentFrequencyPerDay === undefined ? "n/a (less than a day of history)" : `${m.deploymentFrequencyPerDay.toFixed(2)}/day`}; change failure rate ${percent(m.changeFailureRate)}; median time to restore ${duration(m.medianTimeToRestoreMs)}; lead time for changes: not recorded (needs commit times)`,
  ];
  if (view.warnings.length > 0) lines.push("", ...view.warnings.map((w) => `Warning: ${w}`));
  return lines;
}
