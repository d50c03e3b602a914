/**
 * Reading the history: what is live and since when, which revision a rollback goes back to, and the numbers the guide's
 * monitoring section asks for (deployment success rate, rollback frequency, time to restore) plus the DORA keys the
 * records allow (deployment frequency, change failure rate). Lead time for changes needs commit times, which the
 * records do not hold, so it is not computed.
 */
import { UsageError } from "../../errors.js";
import type { DeployRecord } from "../../schemas/deploy-record.js";

/** Newest first. */
export function byRevision(records: readonly DeployRecord[]): DeployRecord[] {
  return [...records].sort((a, b) => b.revision - a.revision);
}

/** The next revision number. */
export function nextRevision(records: readonly DeployRecord[]): number {
  return records.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/** Records a later run found `running`: their run died (killed, or the machine went away). */
export function interrupted(records: readonly DeployRecord[], current: number): DeployRecord[] {
  return records.filter((r) => r.result === "running" && r.revision !== current);
}

/** The revision that is live: the newest one that went live, of either kind. */
export function liveRecord(records: readonly DeployRecord[]): DeployRecord | undefined {
  return byRevision(records).find((r) => r.result === "deployed");
}

/** The records beyond the history limit, oldest first, never the live one. */
export function prunable(records: readonly DeployRecord[], limit: number): DeployRecord[] {
  const live = liveRecord(records)?.revision;
  return byRevision(records)
    .slice(limit)
    .filter((r) => r.revision !== live && r.result !== "running")
    .reverse();
}

/**
 * The revision a rollback restores: `--to-revision N` (which must have been live once), else the newest earlier
 * revision that went live and runs other images than what is live now.
 */
export function rollbackTarget(records: readonly DeployRecord[], toRevision?: number): DeployRecord {
  const live = liveRecord(records);
  if (toRevision !== undefined) {
    const target = records.find((r) => r.revision === toRevision);
    const known = byRevision(records).map((r) => r.revision).join(", ") || "none";
    if (!target) throw new UsageError(`rollback: --to-revision: no revision ${toRevision} in the history (it has ${known})`, { suggestion: "see hello-ci status --env ENV" });
    if (target.result !== "deployed") throw new UsageError(`rollback: --to-revision: revision ${toRevision} never went live (${target.result}); pick one that did`);
    if (live && target.revision === live.revision) throw new UsageError(`rollback: --to-revision: revision ${toRevision} is what is live now`);
    return target;
  }
  if (!live) throw new UsageError("rollback: nothing is live in this environment yet", { suggestion: "deploy first" });
  const same = (r: DeployRecord) => r.images.backend === live.images.backend && r.images.frontend === live.images.frontend;
  const target = byRevision(records).find((r) => r.revision < live.revision && r.result === "deployed" && !same(r));
  if (!target) throw new UsageError(`rollback: no earlier revision that went live differs from revision ${live.revision}`, { suggestion: "deploy the version you want instead" });
  return target;
}

export interface HistoryMetrics {
  deploys: number;
  succeeded: number;
  /** Share of finished deploys that went live, 0..1 (undefined with no finished deploy). */
  successRate?: number;
  /** Automatic flip-backs plus manual rollbacks. */
  rollbacks: number;
  /** Rollbacks per deploy, 0..1. */
  rollbackFrequency?: number;
  /** DORA: successful deploys per day, over the span the history covers. */
  deploymentFrequencyPerDay?: number;
  /** DORA: of the deploys that reached users, the share that failed there (flipped back, rolled back from, or exit 4). */
  changeFailureRate?: number;
  /** Median time from a bad change reaching users to the good one serving again. */
  medianTimeToRestoreMs?: number;
  /** The history window these numbers cover. */
  window?: { from: string; to: string };
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export function historyMetrics(records: readonly DeployRecord[]): HistoryMetrics {
  const ordered = [...records].sort((a, b) => a.revision - b.revision);
  const deploys = ordered.filter((r) => r.kind === "deploy" && r.result !== "running");
  const succeeded = deploys.filter((r) => r.result === "deployed").length;
  const autoRollbacks = deploys.filter((r) => r.result === "rolled-back");
  const manualRollbacks = ordered.filter((r) => r.kind === "rollback" && r.result === "deployed");
  const rollbacks = autoRollbacks.length + manualRollbacks.length;
  // A deploy reached users when it switched; it failed as a change when it was flipped back, failed after the switch
  // with recovery incomplete (exit 4: production was degraded), or was later rolled back from.
  const reachedUsers = deploys.filter((r) => r.switchedAt !== undefined);
  const rolledBackFrom = new Set(manualRollbacks.map((r) => ordered.filter((x) => x.revision < r.revision && x.result === "deployed").at(-1)?.revision));
  const failedChanges = reachedUsers.filter((r) => r.result === "rolled-back" || r.result === "failed" || rolledBackFrom.has(r.revision)).length;
  const restores = [
    ...autoRollbacks.map((r) => ms(r.restoredAt) - ms(r.switchedAt)),
    ...manualRollbacks.map((r) => {
      const bad = ordered.filter((x) => x.revision < r.revision && x.result === "deployed").at(-1);
      return ms(r.switchedAt ?? r.finishedAt) - ms(bad?.switchedAt ?? bad?.finishedAt);
    }),
  ].filter((v) => Number.isFinite(v) && v >= 0);
  const times = ordered.map((r) => ms(r.startedAt)).filter(Number.isFinite);
  const spanDays = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 86_400_000 : 0;
  const out: HistoryMetrics = { deploys: deploys.length, succeeded, rollbacks };
  if (deploys.length > 0) {
    out.successRate = succeeded / deploys.length;
    out.rollbackFrequency = rollbacks / deploys.length;
  }
  if (spanDays >= 1) out.deploymentFrequencyPerDay = succeeded / spanDays;
  if (reachedUsers.length > 0) out.changeFailureRate = failedChanges / reachedUsers.length;
  const mttr = median(restores);
  if (mttr !== undefined) out.medianTimeToRestoreMs = mttr;
  if (times.length > 0) out.window = { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() };
  return out;
}
