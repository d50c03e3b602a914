import { describe, expect, it } from "vitest";
import type { DeployRecord } from "../../schemas/deploy-record.js";
import type { DeployReport } from "../../schemas/deploy-report.js";
import type { ColourState, LiveState } from "./live.js";
import { closedRecord, deployReport, renderDeployMarkdown, renderDeployMessage, renderStatus, type StatusView } from "./report.js";

function report(extra: Partial<DeployReport> = {}): DeployReport {
  return {
    schema: "helloagents/deploy-report@1",
    kind: "deploy",
    env: "production",
    revision: 7,
    version: "v1.2.3",
    images: { backend: "ghcr.io/acme/backend@sha256:aa", frontend: "ghcr.io/acme/frontend@sha256:bb" },
    colour: "green",
    result: "deployed",
    exitCode: 0,
    reason: "green is live and healthy",
    live: { colour: "green", version: "v1.2.3", halfSwitched: false, confirmed: true },
    steps: [
      { name: "lock", outcome: "done", detail: "held by ci", durationMs: 120 },
      { name: "smoke the preview", outcome: "failed", detail: "GET /api/health | 503", durationMs: 2500 },
    ],
    startedAt: "2026-01-31T12:00:00.000Z",
    finishedAt: "2026-01-31T12:01:30.000Z",
    durationMs: 90_000,
    warnings: [],
    ...extra,
  };
}

describe("report: the webhook message and the Markdown report name env, version, result and reason", () => {
  it.each<[string, DeployReport, string]>([
    ["deployed", report(), "deploy production v1.2.3: deployed (revision 7, green). green is live and healthy. Live: green v1.2.3."],
    [
      "rejected before the switch",
      report({ result: "rejected", exitCode: 1, reason: "green never became ready", live: { colour: "blue", version: "v1.2.2", halfSwitched: false, confirmed: true } }),
      "deploy production v1.2.3: rejected before the switch (live untouched) (revision 7, green). green never became ready. Live: blue v1.2.2.",
    ],
    [
      "a rollback by flip",
      report({ kind: "rollback", version: "v1.2.2", colour: "blue", method: "flip", reason: "back on revision 5 (v1.2.2) by flip", live: { colour: "blue", version: "v1.2.2", halfSwitched: false, confirmed: true } }),
      "rollback production v1.2.2: deployed (revision 7, blue). back on revision 5 (v1.2.2) by flip. Live: blue v1.2.2.",
    ],
    [
      "unreachable before anything was recorded, nothing live",
      (() => {
        const r = report({ result: "unreachable", exitCode: 3, reason: "the lock is held by alice", live: { halfSwitched: false, confirmed: false } });
        delete r.revision;
        delete r.colour;
        return r;
      })(),
      "deploy production v1.2.3: not run: the cluster or the lock was unavailable. the lock is held by alice.",
    ],
  ])("message: %s", (_name, r, expected) => {
    expect(renderDeployMessage(r)).toBe(expected);
  });

  it.each<[string, DeployReport, string[]]>([
    ["deployed", report(), ["# Deploy of v1.2.3 to production: deployed", "**Reason:** green is live and healthy", "- Live now: green v1.2.3", "exit code 0"]],
    [
      "failed with recovery incomplete and a half-switch",
      report({ result: "failed", exitCode: 4, reason: "the API server stopped answering", live: { colour: "blue", halfSwitched: true, confirmed: false } }),
      ["# Deploy of v1.2.3 to production: FAILED: recovery incomplete, a person must look", "**Reason:** the API server stopped answering", "(**half-switched**)", "(last seen: the cluster could not be read at the end)", "exit code 4"],
    ],
    ["a rollback", report({ kind: "rollback", method: "redeploy", result: "rolled-back", exitCode: 1 }), ["# Rollback of v1.2.3 to production: rolled back automatically", "- Revision: 7, by redeploy"]],
  ])("Markdown: %s", (_name, r, parts) => {
    const md = renderDeployMarkdown(r);
    for (const part of parts) expect(md).toContain(part);
    expect(md.endsWith("\n")).toBe(true);
  });

  it("Markdown: one table row per step, with pipes in details escaped", () => {
    const md = renderDeployMarkdown(report());
    expect(md).toContain("| 1 | lock | done | held by ci | 0.1 s |");
    expect(md).toContain("| 2 | smoke the preview | failed | GET /api/health \\| 503 | 2.5 s |");
  });

  it("Markdown: warnings are listed, and absent when there are none", () => {
    expect(renderDeployMarkdown(report({ warnings: ["the webhook answered HTTP 500"] }))).toContain("Warnings:\n- the webhook answered HTTP 500");
    expect(renderDeployMarkdown(report())).not.toContain("Warnings:");
  });
});

describe("report: the status page", () => {
  const colour = (c: "blue" | "green", version: string | undefined, desired: number, extra: Partial<ColourState> = {}): ColourState => ({
    colour: c,
    ...(version ? { version } : {}),
    images: { backend: `ghcr.io/acme/backend@sha256:${c}`, frontend: `ghcr.io/acme/frontend@sha256:${c}` },
    replicas: { backend: { desired, ready: desired }, frontend: { desired, ready: desired } },
    exists: true,
    ...extra,
  });
  const live: LiveState = {
    active: "green",
    services: { backend: "green", frontend: "green" },
    halfSwitched: false,
    colours: { blue: colour("blue", "v1.2.2", 2, { scaleDownAfter: "2026-01-31T12:31:30Z" }), green: colour("green", "v1.2.3", 2) },
  };
  const history: DeployRecord[] = [
    { schema: "helloagents/deploy-record@1", revision: 7, kind: "deploy", env: "production", version: "v1.2.3", images: { backend: "b", frontend: "f" }, actor: "ci", colour: "green", startedAt: "2026-01-31T12:00:00Z", durationMs: 90_000, result: "deployed", reason: "ok | healthy" },
    { schema: "helloagents/deploy-record@1", revision: 6, kind: "rollback", method: "flip", env: "production", version: "v1.2.2", images: { backend: "b", frontend: "f" }, actor: "ci", colour: "blue", startedAt: "2026-01-30T12:00:00Z", durationMs: 180_000, result: "deployed", reason: "back" },
  ];
  const view = (extra: Partial<StatusView> = {}): StatusView => ({
    schema: "helloagents/deploy-status@1",
    env: "production",
    namespace: "helloagents-production",
    live,
    liveRevision: 7,
    liveSince: "2026-01-31T12:00:45Z",
    history,
    metrics: { deploys: 4, succeeded: 3, successRate: 0.75, rollbacks: 1, rollbackFrequency: 0.25, changeFailureRate: 1 / 3, medianTimeToRestoreMs: 45_000, deploymentFrequencyPerDay: 1.5 },
    warnings: [],
    ...extra,
  });

  it("names the live colour, version, revision and since when, the idle colour kept for a flip, and the images", () => {
    const text = renderStatus(view());
    expect(text).toContain("# production (namespace helloagents-production)");
    expect(text).toContain("Live: **green v1.2.3 (backend 2/2, frontend 2/2)**, revision 7 since 2026-01-31T12:00:45Z");
    expect(text).toContain("Idle: blue v1.2.2 (backend 2/2, frontend 2/2), kept for a flip rollback until 2026-01-31T12:31:30Z");
    expect(text).toContain("Images: `ghcr.io/acme/backend@sha256:green`, `ghcr.io/acme/frontend@sha256:green`");
  });

  it("the history table has one row per record, newest first as given, pipes escaped, durations readable", () => {
    const text = renderStatus(view());
    expect(text).toContain("| revision | kind | version | colour | result | started | duration | reason |");
    expect(text).toContain("| 7 | deploy | v1.2.3 | green | deployed | 2026-01-31T12:00:00Z | 90.0 s | ok \\| healthy |");
    expect(text).toContain("| 6 | rollback (flip) | v1.2.2 | blue | deployed | 2026-01-30T12:00:00Z | 3.0 min | back |");
    expect(text.indexOf("| 7 |")).toBeLessThan(text.indexOf("| 6 |"));
  });

  it("the metrics lines: success rate, rollback frequency and the DORA keys", () => {
    const text = renderStatus(view());
    expect(text).toContain("Deploys: 4, succeeded 3 (success rate 75 %); rollbacks 1 (25 % of deploys)");
    expect(text).toContain("DORA: deployment frequency 1.50/day; change failure rate 33 %; median time to restore 45.0 s; lead time for changes: not recorded");
  });

  it("without history: n/a instead of numbers, and nothing deployed yet", () => {
    const text = renderStatus(view({ live: { services: { backend: undefined, frontend: undefined }, halfSwitched: false, colours: { blue: { ...colour("blue", undefined, 0), exists: false }, green: { ...colour("green", undefined, 0), exists: false } } }, history: [], metrics: { deploys: 0, succeeded: 0, rollbacks: 0 } }));
    expect(text).toContain("Live: nothing deployed yet");
    expect(text).toContain("success rate n/a");
    expect(text).toContain("deployment frequency n/a (less than a day of history)");
    expect(text).not.toContain("Idle:");
  });

  it("a half-switched environment says where each Service points, and warnings and the lock are shown", () => {
    const half: LiveState = { ...live, services: { backend: "green", frontend: "blue" }, halfSwitched: true };
    delete half.active;
    const text = renderStatus(view({ live: half, lock: { holder: "alice@laptop", expiresAt: "2026-01-31T12:02:00Z" }, warnings: ["history record ignored: x"] }));
    expect(text).toContain("Live: **half-switched** (backend → green, frontend → blue)");
    expect(text).toContain("Lock: held by alice@laptop until 2026-01-31T12:02:00Z");
    expect(text).toContain("Warning: history record ignored: x");
  });
});

describe("report: the end of a run, shared by Kubernetes and ECS", () => {
  const record = {
    schema: "helloagents/deploy-record@1", revision: 4, kind: "deploy", env: "production", version: "v1.2.3", actor: "ci",
    images: { backend: "b@sha256:aa", frontend: "f@sha256:bb" }, startedAt: "2026-01-31T12:00:00.000Z", result: "running", reason: "in progress",
  } as unknown as DeployRecord;
  const end = new Date("2026-01-31T12:01:00.000Z");

  it("closes the record with the result, reason, end and duration; an unreachable run is recorded as failed", () => {
    expect(closedRecord(record, "rolled-back", "bake failed", end, 60_000)).toMatchObject({ revision: 4, result: "rolled-back", reason: "bake failed", finishedAt: "2026-01-31T12:01:00.000Z", durationMs: 60_000 });
    expect(closedRecord(record, "unreachable", "the API server did not answer", end, 5).result).toBe("failed");
    expect(record.result).toBe("running");
  });

  it("builds the report with the record's revision and the exit code of the result, copying steps and warnings", () => {
    const warnings = ["w"];
    const built = deployReport({
      kind: "rollback", env: "production", record, base: { version: "v1.2.2", images: record.images, colour: "blue" }, result: "failed",
      reason: "the flip back failed", live: { halfSwitched: true, confirmed: false }, steps: [], startedAt: new Date("2026-01-31T12:00:00.000Z"),
      finishedAt: end, durationMs: 60_000, warnings,
    });
    expect(built).toMatchObject({ schema: "helloagents/deploy-report@1", kind: "rollback", revision: 4, colour: "blue", exitCode: 4, finishedAt: "2026-01-31T12:01:00.000Z" });
    built.warnings.push("later");
    expect(warnings).toEqual(["w"]);
    const unrecorded = deployReport({ kind: "deploy", env: "production", record: undefined, base: { version: "v1.2.3", images: record.images }, result: "unreachable",
      reason: "the API server did not answer", live: { halfSwitched: false, confirmed: false }, steps: [], startedAt: end, finishedAt: end, durationMs: 0, warnings: [] });
    expect(unrecorded).not.toHaveProperty("revision");
    expect(unrecorded.exitCode).toBe(3);
  });
});
