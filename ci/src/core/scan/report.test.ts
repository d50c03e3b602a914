import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { loadTrivyFixture, trivyFixtureDir, trivyFixtureNames } from "../../../test/support/trivy-fixtures.js";
import { parseTrivyReport } from "./report.js";

describe("parseTrivyReport", () => {
  it("finds all 11 real Trivy reports", () => {
    expect(trivyFixtureNames()).toHaveLength(11);
  });

  it.each(trivyFixtureNames())("parses the real report %s", (name) => {
    const report = loadTrivyFixture(name);
    expect(report.SchemaVersion).toBe(2);
    expect(report.ArtifactName).toMatch(/^testdata\/fixtures\//);
  });

  it("accepts a clean report without Results (Trivy omits the key) and null lists", () => {
    expect(parseTrivyReport("clean.json", JSON.stringify({ SchemaVersion: 2, ArtifactName: "x" })).Results).toEqual([]);
    const report = parseTrivyReport("nulls.json", JSON.stringify({ SchemaVersion: 2, Results: [{ Target: "t", Vulnerabilities: null, Secrets: null }] }));
    expect(report.Results[0]?.Vulnerabilities).toEqual([]);
  });

  it("maps an empty severity to UNKNOWN, as Trivy does", () => {
    const report = parseTrivyReport("x", JSON.stringify({ SchemaVersion: 2, Results: [{ Target: "t", Vulnerabilities: [{ VulnerabilityID: "CVE-1", PkgName: "p", InstalledVersion: "1", Severity: "" }] }] }));
    expect(report.Results[0]?.Vulnerabilities[0]?.Severity).toBe("UNKNOWN");
  });

  const full = readFileSync(`${trivyFixtureDir}debian-buster.json`, "utf8");
  const withSeverity = (severity: string) => full.replace('"Severity": "CRITICAL"', `"Severity": "${severity}"`);
  it.each([
    ["a truncated report", full.slice(0, full.length / 2), /is not JSON \(truncated or corrupt\?\)/],
    ["an empty file", "", /is not JSON/],
    ["schema version 1 (a bare array)", JSON.stringify([{ Target: "x", Vulnerabilities: [] }]), /not a Trivy JSON report v2/],
    ["schema version 3", full.replace('"SchemaVersion": 2', '"SchemaVersion": 3'), /SchemaVersion: expected SchemaVersion 2/],
    ["a severity Trivy never writes", withSeverity("SEVERE"), /Severity/],
    ["a vulnerability without an id", full.replace('"VulnerabilityID": "CVE-2019-18224",', ""), /VulnerabilityID/],
  ])("rejects %s as invalid input (exit 2), never as a pass", (_name, text, message) => {
    let error: unknown;
    try {
      parseTrivyReport("r.json", text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).message).not.toContain("\n");
  });
});
