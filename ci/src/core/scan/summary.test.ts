import { describe, expect, it } from "vitest";
import { loadTrivyFixture } from "../../../test/support/trivy-fixtures.js";
import { evaluateScanGate } from "./gate.js";
import { parseIgnoreFile } from "./ignore.js";
import { renderScanSummary } from "./summary.js";

const now = new Date("2026-06-15T12:00:00Z");

describe("renderScanSummary", () => {
  const ignore = parseIgnoreFile(".trivyignore.yaml", "vulnerabilities:\n  - id: CVE-2020-8165\n    expired_at: 2026-01-01\n    statement: upgrade planned\n");
  const verdict = evaluateScanGate(
    ["fluentd-gems.json", "distroless-base.json"].map((name) => ({ source: name, report: loadTrivyFixture(name) })),
    { severities: ["CRITICAL", "HIGH", "MEDIUM"], ignoreUnfixed: true, ignore },
    now,
  );
  const markdown = renderScanSummary(verdict);

  it("starts with the decision and its reason", () => {
    expect(markdown.split("\n").slice(0, 3)).toEqual(["## ❌ Scan gate: blocked", "", verdict.reason]);
  });

  it("counts by severity per image and per target", () => {
    expect(markdown).toContain("| **testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz** (fluentd-gems.json) | 1 | 1 | 0 | 0 | 0 | 2 | 0 |");
    expect(markdown).toContain("| ↳ Ruby (gemspec) | 0 | 1 | 0 | 0 | 0 | | |");
    expect(markdown).toContain("| **testdata/fixtures/images/distroless-base.tar.gz** (distroless-base.json) | 0 | 0 | 2 | 2 | 0 | 0 | 2 |");
  });

  it("lists blocking findings with installed and fixed versions", () => {
    expect(markdown).toContain("| HIGH | [CVE-2020-8165](https://avd.aquasec.com/nvd/cve-2020-8165) | activesupport | 6.0.2.1 | 6.0.3.1, 5.2.4.3 |");
  });

  it("says which expired ignore no longer hides a finding", () => {
    expect(markdown).toContain("### Expired ignores (1): these findings are no longer hidden");
    expect(markdown).toContain('- CVE-2020-8165 in testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz (Ruby): ignore expired 2026-01-01 — "upgrade planned"');
  });

  it("lists ignored findings with their reason", () => {
    expect(markdown).toContain("| MEDIUM | CVE-2019-1551 | libssl1.1 | 1.1.0k-1~deb9u1 | — | testdata/fixtures/images/distroless-base.tar.gz | unfixed (status affected) |");
  });

  it("says passed for a clean verdict", () => {
    const clean = evaluateScanGate([{ source: "npm.json", report: loadTrivyFixture("npm.json") }], { severities: ["CRITICAL"], ignoreUnfixed: false }, now);
    expect(renderScanSummary(clean)).toMatch(/^## ✅ Scan gate: passed\n\npassed: no finding at CRITICAL in 1 report\n/);
  });
});
