import { describe, expect, it } from "vitest";
import type { HealthReport } from "./model.js";
import { renderMarkdown, renderText } from "./report.js";

const report: HealthReport = {
  verdict: "fail",
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 42,
  checks: [
    { name: "frontend", url: "https://x/health", verdict: "pass", attempts: 1, durationMs: 5, latenciesMs: [5], assertions: [{ assertion: "status", expected: "== 200", observed: 200, ok: true, severity: "fail" }] },
    {
      name: "backend|db",
      url: "https://x/api/health/db",
      verdict: "fail",
      attempts: 1,
      durationMs: 9,
      latenciesMs: [9],
      assertions: [{ assertion: "$.status", expected: '== "pass"', observed: "fail", ok: false, severity: "fail" }],
    },
  ],
};

describe("health report", () => {
  it("renders a Markdown table and one finding per failed assertion", () => {
    const md = renderMarkdown(report, "Health report: staging");
    expect(md).toContain("# Health report: staging");
    expect(md).toContain("**Verdict: ❌ fail** · 2 checks");
    expect(md).toContain("| frontend | ✅ pass | 5 | 1 | https://x/health |");
    expect(md).toContain("### backend\\|db (fail)");
    expect(md).toContain('- $.status expected == "pass", observed "fail"');
  });

  it("renders one terminal line per check and per failure, then the verdict", () => {
    expect(renderText(report).split("\n")).toEqual([
      "PASS        frontend (5 ms, 1 attempt)",
      "FAIL        backend|db (9 ms, 1 attempt)",
      '            $.status expected == "pass", observed "fail"',
      "verdict: fail (2 checks in 42 ms)",
    ]);
  });
});
