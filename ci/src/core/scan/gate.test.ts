import { describe, expect, it } from "vitest";
import { loadTrivyFixture } from "../../../test/support/trivy-fixtures.js";
import { scanVerdictSchema } from "../../schemas/scan-verdict.js";
import type { Severity, TrivyReport } from "../../schemas/trivy-report.js";
import { evaluateScanGate, type ScanPolicy } from "./gate.js";
import { parseIgnoreFile } from "./ignore.js";

const now = new Date("2026-06-15T12:00:00Z");
const HIGH_CRITICAL: Severity[] = ["CRITICAL", "HIGH"];
const ALL: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];
const gate = (names: string[], policy: Partial<ScanPolicy> = {}, at = now) =>
  evaluateScanGate(
    names.map((name) => ({ source: name, report: loadTrivyFixture(name) })),
    { severities: HIGH_CRITICAL, ignoreUnfixed: false, ...policy },
    at,
  );
const ids = (findings: readonly { id: string }[]) => findings.map((f) => f.id).sort();

describe("evaluateScanGate on the real Trivy reports (counts checked independently with python over the fixtures)", () => {
  it.each([
    ["alpine-310.json", "pass", 0, { MEDIUM: 4 }],
    ["busybox-with-lockfile.json", "block", 1, { HIGH: 1, MEDIUM: 1 }],
    ["centos-7.json", "pass", 0, { MEDIUM: 1, LOW: 2 }],
    ["centos-7-ignore-unfixed.json", "pass", 0, { MEDIUM: 1, LOW: 1 }],
    ["debian-buster.json", "block", 1, { CRITICAL: 1, LOW: 1 }],
    ["debian-buster-ignore-unfixed.json", "block", 1, { CRITICAL: 1 }],
    ["distroless-base.json", "pass", 0, { MEDIUM: 2, LOW: 2 }],
    ["fluentd-gems.json", "block", 2, { CRITICAL: 1, HIGH: 1 }],
    ["npm.json", "pass", 0, { MEDIUM: 1 }],
    ["pip.json", "block", 1, { HIGH: 1, MEDIUM: 1 }],
    ["secrets.json", "block", 2, { CRITICAL: 1, HIGH: 1 }],
  ] as const)("%s at HIGH,CRITICAL: %s with %i blocking, counts %j", (name, decision, blocking, counts) => {
    const verdict = gate([name]);
    expect(verdict.decision).toBe(decision);
    expect(verdict.blocking).toHaveLength(blocking);
    expect(verdict.counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0, ...counts });
    expect(scanVerdictSchema.parse(verdict)).toEqual(verdict);
  });

  it("names the blocking finding with installed and fixed version", () => {
    expect(gate(["debian-buster.json"]).blocking).toEqual([
      expect.objectContaining({
        kind: "vulnerability",
        id: "CVE-2019-18224",
        severity: "CRITICAL",
        pkgName: "libidn2-0",
        installedVersion: "2.0.5-1",
        fixedVersion: "2.0.5-1+deb10u1",
        status: "fixed",
        artifact: "testdata/fixtures/images/debian-buster.tar.gz",
        target: "testdata/fixtures/images/debian-buster.tar.gz (debian 10.1)",
      }),
    ]);
  });

  it.each([
    ["centos-7.json", "centos-7-ignore-unfixed.json"],
    ["debian-buster.json", "debian-buster-ignore-unfixed.json"],
  ])("--ignore-unfixed on %s leaves exactly what Trivy's own --ignore-unfixed run reported (%s)", (full, trivyOwn) => {
    const ours = gate([full], { severities: ALL, ignoreUnfixed: true });
    const theirs = gate([trivyOwn], { severities: ALL });
    expect(ids(ours.blocking)).toEqual(ids(theirs.blocking));
    expect(ours.ignored.every((f) => f.ignoredBy === "unfixed")).toBe(true);
  });

  it("--ignore-unfixed ignores will_not_fix and affected, with the status as reason", () => {
    const verdict = gate(["centos-7.json", "distroless-base.json"], { severities: ALL, ignoreUnfixed: true });
    expect(verdict.ignored.map((f) => [f.id, f.reason])).toEqual([
      ["CVE-2019-18276", "unfixed (status will_not_fix)"],
      ["CVE-2019-1551", "unfixed (status affected)"],
      ["CVE-2019-1551", "unfixed (status affected)"],
    ]);
    expect(verdict.blocking).toHaveLength(4);
  });

  it("gates several image variants together and reports each one", () => {
    const verdict = gate(["fluentd-gems.json", "alpine-310.json", "pip.json"]);
    expect(verdict.decision).toBe("block");
    expect(verdict.reason).toBe("blocked: 3 findings at CRITICAL,HIGH (1 CRITICAL, 2 HIGH) in 2 of 3 reports");
    expect(verdict.reports.map((r) => [r.report, r.blocking])).toEqual([
      ["fluentd-gems.json", 2],
      ["alpine-310.json", 0],
      ["pip.json", 1],
    ]);
    expect(verdict.reports[0]?.targets.map((t) => [t.target, t.counts.CRITICAL, t.counts.HIGH])).toEqual([
      ["testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz (debian 10.2)", 1, 0],
      ["Ruby", 0, 1],
    ]);
  });

  it("blocks on secrets and lets an ignore entry hide one by rule id and path", () => {
    const ignore = parseIgnoreFile(".trivyignore.yaml", "secrets:\n  - id: mysecret\n    paths: [deploy.sh]\n    statement: test fixture\n");
    const verdict = gate(["secrets.json"], { ignore });
    expect(verdict.blocking.map((f) => [f.kind, f.id])).toEqual([["secret", "aws-access-key-id"]]);
    expect(verdict.ignored.map((f) => [f.id, f.reason])).toEqual([["mysecret", "test fixture"]]);
  });
});

describe("ignore entries with expired_at (injectable clock)", () => {
  const ignore = parseIgnoreFile(
    ".trivyignore.yaml",
    "vulnerabilities:\n  - id: CVE-2019-18224\n    statement: not reachable\n    expired_at: 2026-07-01\n  - id: CVE-2020-8165\n    expired_at: 2026-01-01\n    statement: upgrade planned\n",
  );

  it("an active ignore hides the finding and the gate passes", () => {
    const verdict = gate(["debian-buster.json"], { ignore });
    expect(verdict.decision).toBe("pass");
    expect(verdict.reason).toBe("passed: no finding at CRITICAL,HIGH in 1 report (1 ignored)");
    expect(verdict.ignored[0]).toMatchObject({ id: "CVE-2019-18224", ignoredBy: "ignorefile", reason: "not reachable until 2026-07-01" });
  });

  it("the same ignore, once expired, no longer hides it and the verdict says so", () => {
    const verdict = gate(["debian-buster.json"], { ignore }, new Date("2026-07-02T00:00:00Z"));
    expect(verdict.decision).toBe("block");
    expect(verdict.expiredIgnores).toEqual([expect.objectContaining({ id: "CVE-2019-18224", expiredAt: "2026-07-01T00:00:00.000Z", statement: "not reachable" })]);
    expect(verdict.reason).toMatch(/1 no longer hidden by an expired ignore/);
  });

  it("an expired and an active ignore in one run", () => {
    const verdict = gate(["fluentd-gems.json"], { ignore });
    expect(ids(verdict.ignored)).toEqual(["CVE-2019-18224"]);
    expect(ids(verdict.blocking)).toEqual(["CVE-2020-8165"]);
    expect(ids(verdict.expiredIgnores)).toEqual(["CVE-2020-8165"]);
  });
});

describe("hand-made edge cases", () => {
  const report = (results: unknown): TrivyReport => ({ SchemaVersion: 2, ArtifactName: "img", Results: results as TrivyReport["Results"] });
  const run = (r: TrivyReport, policy: Partial<ScanPolicy> = {}) => evaluateScanGate([{ source: "r.json", report: r }], { severities: HIGH_CRITICAL, ignoreUnfixed: false, ...policy }, now);
  const vuln = (over: Record<string, unknown>) => ({ VulnerabilityID: "CVE-1", PkgName: "p", InstalledVersion: "1", Severity: "HIGH", ...over });
  const result = (over: Record<string, unknown>) => ({ Target: "t", Vulnerabilities: [], Secrets: [], Misconfigurations: [], Licenses: [], ...over });

  it("passes a report with no results", () => {
    expect(run(report([]))).toMatchObject({ decision: "pass", reason: "passed: no finding at CRITICAL,HIGH in 1 report", blocking: [] });
  });

  it("counts UNKNOWN severity but blocks on it only when asked", () => {
    const r = report([result({ Vulnerabilities: [vuln({ Severity: "UNKNOWN" })] })]);
    expect(run(r)).toMatchObject({ decision: "pass", counts: { UNKNOWN: 1 } });
    expect(run(r, { severities: ["UNKNOWN"] }).decision).toBe("block");
  });

  it("without a Status, --ignore-unfixed falls back to the missing FixedVersion", () => {
    const r = report([result({ Vulnerabilities: [vuln({ VulnerabilityID: "CVE-A" }), vuln({ VulnerabilityID: "CVE-B", FixedVersion: "2" })] })]);
    const verdict = run(r, { ignoreUnfixed: true });
    expect(ids(verdict.blocking)).toEqual(["CVE-B"]);
    expect(verdict.ignored[0]?.reason).toBe("unfixed (no fixed version)");
  });

  it("--ignore-unfixed does not touch secrets or misconfigurations", () => {
    const r = report([result({ Secrets: [{ RuleID: "s", Severity: "HIGH" }], Misconfigurations: [{ ID: "AVD-1", Severity: "CRITICAL", Status: "FAIL" }] })]);
    expect(run(r, { ignoreUnfixed: true }).blocking.map((f) => f.kind)).toEqual(["secret", "misconfiguration"]);
  });

  it("a passing misconfiguration check is no finding", () => {
    const r = report([result({ Misconfigurations: [{ ID: "AVD-1", Severity: "CRITICAL", Status: "PASS" }, { ID: "AVD-2", Severity: "HIGH", Status: "EXCEPTION" }] })]);
    expect(run(r)).toMatchObject({ decision: "pass", counts: { CRITICAL: 0, HIGH: 0 } });
  });

  it("license findings block at their severity and can be ignored by name", () => {
    const r = report([result({ Licenses: [{ Name: "GPL-3.0-only", Severity: "HIGH", Category: "restricted", PkgName: "x" }] })]);
    expect(run(r).blocking[0]).toMatchObject({ kind: "license", id: "GPL-3.0-only" });
    const ignore = parseIgnoreFile(".trivyignore.yaml", "licenses:\n  - id: GPL-3.0-only\n");
    expect(run(r, { ignore }).decision).toBe("pass");
  });

  it("uses the report file name when ArtifactName is missing", () => {
    const verdict = evaluateScanGate([{ source: "a.json", report: { SchemaVersion: 2, Results: [] } }], { severities: HIGH_CRITICAL, ignoreUnfixed: false }, now);
    expect(verdict.reports[0]?.artifact).toBe("a.json");
  });
});
