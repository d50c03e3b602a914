import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import type { DeployRecord } from "../../schemas/deploy-record.js";
import { byRevision, historyMetrics, interrupted, liveRecord, nextRevision, prunable, rollbackTarget } from "./history.js";

const images = (version: string) => ({ backend: `ghcr.io/acme/backend@sha256:${version}`, frontend: `ghcr.io/acme/frontend@sha256:${version}` });

function record(revision: number, result: DeployRecord["result"], version: string, extra: Partial<DeployRecord> = {}): DeployRecord {
  return {
    schema: "helloagents/deploy-record@1",
    revision,
    kind: "deploy",
    env: "production",
    version,
    images: images(version),
    actor: "ci",
    colour: revision % 2 === 1 ? "blue" : "green",
    startedAt: "2026-01-01T00:00:00Z",
    result,
    reason: result,
    ...extra,
  };
}

/**
 * A week of production, hand-checked:
 *   r1 deployed · r2 rejected before the switch · r3 switched, flipped back automatically after 60 s · r4 deployed ·
 *   r5 manual rollback to r1, 55.5 min after r4 reached users · r6 deployed · r7 switched, then failed with recovery
 *   incomplete (exit 4) · r8 running now.
 */
const WEEK: DeployRecord[] = [
  record(1, "deployed", "v1.0.0", { startedAt: "2026-01-01T00:00:00Z", switchedAt: "2026-01-01T00:05:00Z", finishedAt: "2026-01-01T00:10:00Z" }),
  record(2, "rejected", "v1.1.0", { startedAt: "2026-01-02T00:00:00Z", finishedAt: "2026-01-02T00:03:00Z" }),
  record(3, "rolled-back", "v1.2.0", { startedAt: "2026-01-03T00:00:00Z", switchedAt: "2026-01-03T00:05:00Z", restoredAt: "2026-01-03T00:06:00Z", finishedAt: "2026-01-03T00:07:00Z" }),
  record(4, "deployed", "v1.3.0", { startedAt: "2026-01-04T00:00:00Z", switchedAt: "2026-01-04T00:05:00Z", finishedAt: "2026-01-04T00:08:00Z" }),
  record(5, "deployed", "v1.0.0", { kind: "rollback", rollbackTo: 1, method: "flip", startedAt: "2026-01-04T01:00:00Z", switchedAt: "2026-01-04T01:00:30Z", finishedAt: "2026-01-04T01:02:30Z" }),
  record(6, "deployed", "v1.4.0", { startedAt: "2026-01-05T00:00:00Z", switchedAt: "2026-01-05T00:05:00Z", finishedAt: "2026-01-05T00:08:00Z" }),
  record(7, "failed", "v1.5.0", { startedAt: "2026-01-05T12:00:00Z", switchedAt: "2026-01-05T12:05:00Z", finishedAt: "2026-01-05T12:09:00Z" }),
  record(8, "running", "v1.6.0", { startedAt: "2026-01-06T00:00:00Z" }),
];

const shuffled = [WEEK[4]!, WEEK[0]!, WEEK[7]!, WEEK[2]!, WEEK[6]!, WEEK[1]!, WEEK[5]!, WEEK[3]!];
const revisions = (records: readonly DeployRecord[]) => records.map((r) => r.revision);

describe("history: ordering and the next revision", () => {
  it("byRevision puts the newest first without changing its input", () => {
    expect(revisions(byRevision(shuffled))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(shuffled[0]!.revision).toBe(5);
  });

  it.each<[string, DeployRecord[], number]>([
    ["an empty history starts at 1", [], 1],
    ["one past the highest", shuffled, 9],
    ["one past the highest even after older ones were pruned (gaps)", [record(12, "deployed", "v1"), record(15, "rejected", "v2")], 16],
  ])("nextRevision: %s", (_name, records, expected) => {
    expect(nextRevision(records)).toBe(expected);
  });
});

describe("history: interrupted runs and what is live", () => {
  it.each<[string, DeployRecord[], number, number[]]>([
    ["the current run's own running record is not interrupted", WEEK, 8, []],
    ["another running record is (its run died)", [...WEEK.slice(0, 7), record(8, "running", "v1.6.0")], 9, [8]],
    ["finished records never are", WEEK.slice(0, 7), 8, []],
  ])("interrupted: %s", (_name, records, current, expected) => {
    expect(revisions(interrupted(records, current))).toEqual(expected);
  });

  it.each<[string, DeployRecord[], number | undefined]>([
    ["the newest deployed record, skipping newer failed and running ones", shuffled, 6],
    ["a manual rollback that went live is live", WEEK.slice(0, 5), 5],
    ["an automatic flip-back leaves the previous deploy live", WEEK.slice(0, 3), 1],
    ["nothing deployed yet: none", [record(1, "rejected", "v1"), record(2, "running", "v2")], undefined],
  ])("liveRecord: %s", (_name, records, expected) => {
    expect(liveRecord(records)?.revision).toBe(expected);
  });
});

describe("history: what may be pruned", () => {
  it.each<[string, DeployRecord[], number, number[]]>([
    ["beyond the limit, oldest first", WEEK, 3, [1, 2, 3, 4, 5]],
    ["nothing within the limit", WEEK, 8, []],
    ["never the live one, even beyond the limit", [record(1, "deployed", "v1"), record(2, "rejected", "v2"), record(3, "rejected", "v3"), record(4, "rejected", "v4")], 2, [2]],
    ["never a running one, even beyond the limit", [record(1, "running", "v1"), record(2, "deployed", "v2"), record(3, "deployed", "v3")], 1, [2]],
  ])("%s", (_name, records, limit, expected) => {
    expect(revisions(prunable(records, limit))).toEqual(expected);
  });
});

describe("history: the rollback target", () => {
  it.each<[string, DeployRecord[], number | undefined, number]>([
    ["default: the newest earlier revision that went live (here a rollback record)", WEEK, undefined, 5],
    ["default: skips earlier revisions running the same images as live", [record(1, "deployed", "v1"), record(2, "deployed", "v2"), record(3, "deployed", "v2")], undefined, 1],
    ["default: skips revisions that never went live", [record(1, "deployed", "v1"), record(2, "rolled-back", "v2"), record(3, "deployed", "v3")], undefined, 1],
    ["--to-revision N: exactly that revision", WEEK, 1, 1],
    ["--to-revision N: a rollback record that went live is allowed", WEEK, 5, 5],
  ])("%s", (_name, records, to, expected) => {
    expect(rollbackTarget(records, to).revision).toBe(expected);
  });

  it.each<[string, DeployRecord[], number | undefined, string]>([
    ["--to-revision of a revision not in the history names those that are", WEEK, 99, "rollback: --to-revision: no revision 99 in the history (it has 8, 7, 6, 5, 4, 3, 2, 1)"],
    ["--to-revision in an empty history", [], 1, "rollback: --to-revision: no revision 1 in the history (it has none)"],
    ["--to-revision of a rejected revision", WEEK, 2, "rollback: --to-revision: revision 2 never went live (rejected); pick one that did"],
    ["--to-revision of a rolled-back revision", WEEK, 3, "rollback: --to-revision: revision 3 never went live (rolled-back); pick one that did"],
    ["--to-revision of the running revision", WEEK, 8, "rollback: --to-revision: revision 8 never went live (running); pick one that did"],
    ["--to-revision of what is live", WEEK, 6, "rollback: --to-revision: revision 6 is what is live now"],
    ["default with nothing live", [record(1, "rejected", "v1")], undefined, "rollback: nothing is live in this environment yet"],
    ["default with no earlier revision that differs", [record(1, "deployed", "v1"), record(2, "deployed", "v1")], undefined, "rollback: no earlier revision that went live differs from revision 2"],
  ])("refuses (exit 2): %s", (_name, records, to, message) => {
    let thrown: unknown;
    try {
      rollbackTarget(records, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).exitCode).toBe(2);
  });
});

describe("history: metrics, computed by hand", () => {
  it("the week: success rate, rollback frequency, change failure rate, median time to restore, deployment frequency", () => {
    const m = historyMetrics(shuffled);
    // Finished deploys: r1 r2 r3 r4 r6 r7 = 6 (r5 is a rollback, r8 still running); live after them: r1 r4 r6 = 3.
    expect(m.deploys).toBe(6);
    expect(m.succeeded).toBe(3);
    expect(m.successRate).toBe(3 / 6);
    // Rollbacks: r3 flipped back automatically, r5 rolled back by hand = 2, per 6 deploys.
    expect(m.rollbacks).toBe(2);
    expect(m.rollbackFrequency).toBeCloseTo(2 / 6, 10);
    // Reached users (switched): r1 r3 r4 r6 r7 = 5. Failed as changes: r3 (flipped back), r4 (rolled back from by r5),
    // r7 (switched, then failed with recovery incomplete) = 3.
    expect(m.changeFailureRate).toBe(3 / 5);
    // Restores: r3 60 s (switch 00:05:00 → restored 00:06:00); r4 → r5: r4 switched 00:05:00, r5 switched 01:00:30 = 3330 s.
    // Median of two = their mean: (60 000 + 3 330 000) / 2.
    expect(m.medianTimeToRestoreMs).toBe(1_695_000);
    // Starts span 2026-01-01 → 2026-01-06 = 5 days; DORA counts successful deploys: 3 / 5 days.
    expect(m.deploymentFrequencyPerDay).toBeCloseTo(0.6, 10);
    expect(m.window).toEqual({ from: "2026-01-01T00:00:00.000Z", to: "2026-01-06T00:00:00.000Z" });
  });

  it("an odd number of restores takes the middle one", () => {
    const records = [
      record(1, "rolled-back", "v1", { switchedAt: "2026-01-01T00:00:00Z", restoredAt: "2026-01-01T00:00:10Z" }),
      record(2, "rolled-back", "v2", { switchedAt: "2026-01-01T00:00:00Z", restoredAt: "2026-01-01T00:01:40Z" }),
      record(3, "rolled-back", "v3", { switchedAt: "2026-01-01T00:00:00Z", restoredAt: "2026-01-01T00:00:30Z" }),
    ];
    expect(historyMetrics(records).medianTimeToRestoreMs).toBe(30_000);
    expect(historyMetrics(records).successRate).toBe(0);
    expect(historyMetrics(records).changeFailureRate).toBe(1);
  });

  it("an empty history has counts of zero and no rates", () => {
    expect(historyMetrics([])).toEqual({ deploys: 0, succeeded: 0, rollbacks: 0 });
  });

  it("less than a day of history gives no deployment frequency; no switch gives no change failure rate", () => {
    const m = historyMetrics([record(1, "rejected", "v1", { startedAt: "2026-01-01T00:00:00Z" }), record(2, "rejected", "v2", { startedAt: "2026-01-01T20:00:00Z" })]);
    expect(m).toEqual({ deploys: 2, succeeded: 0, rollbacks: 0, successRate: 0, rollbackFrequency: 0, window: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T20:00:00.000Z" } });
  });

  it("a running deploy is not counted yet, and a rollback without times gives no restore time", () => {
    const m = historyMetrics([record(1, "deployed", "v1", { switchedAt: "2026-01-01T00:00:00Z" }), record(2, "deployed", "v2"), record(3, "deployed", "v1", { kind: "rollback" }), record(4, "running", "v3")]);
    expect(m.deploys).toBe(2);
    expect(m.rollbacks).toBe(1);
    expect(m.medianTimeToRestoreMs).toBeUndefined();
  });
});
