/** Test helpers for the scan gate: load the real Trivy fixtures. (Test-only; outside src/ so it is never built.) */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TrivyReport } from "../../src/schemas/trivy-report.js";
import { parseTrivyReport } from "../../src/core/scan/report.js";

export const trivyFixtureDir = fileURLToPath(new URL("../fixtures/trivy/", import.meta.url));

export function trivyFixtureNames(): string[] {
  return readdirSync(trivyFixtureDir).filter((name) => name.endsWith(".json")).sort();
}

export function loadTrivyFixture(name: string): TrivyReport {
  return parseTrivyReport(name, readFileSync(`${trivyFixtureDir}${name}`, "utf8"));
}
