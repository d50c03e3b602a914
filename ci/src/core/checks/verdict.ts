/**
 * Verdicts. Rule order is the contract (tested in verdict.test.ts):
 *   check:  no response at all → unreachable; any failed `fail` assertion → fail; any failed `warn` assertion → warn; else pass.
 *   report: every check unreachable → unreachable; any fail or unreachable → fail; any warn → warn; else pass.
 *   exit:   pass 0, warn 0 (the JSON still says warn), fail 1, unreachable 3.
 */
import { ExitCode } from "../../errors.js";
import type { AssertionResult, Verdict } from "./model.js";

export function checkVerdict(assertions: readonly AssertionResult[], answered: boolean): Verdict {
  if (!answered) return "unreachable";
  if (assertions.some((a) => !a.ok && a.severity === "fail")) return "fail";
  if (assertions.some((a) => !a.ok && a.severity === "warn")) return "warn";
  return "pass";
}

export function aggregateVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length > 0 && verdicts.every((v) => v === "unreachable")) return "unreachable";
  if (verdicts.some((v) => v === "fail" || v === "unreachable")) return "fail";
  if (verdicts.some((v) => v === "warn")) return "warn";
  return "pass";
}

export function exitCodeFor(verdict: Verdict): ExitCode {
  switch (verdict) {
    case "pass":
    case "warn":
      return ExitCode.Ok;
    case "fail":
      return ExitCode.CheckFailed;
    case "unreachable":
      return ExitCode.Unreachable;
  }
}

/** One line per failed assertion: `$.status expected == "pass", observed "fail"`. */
export function describeFailure(a: AssertionResult): string {
  if (a.assertion === "response" && typeof a.observed === "string") return `no response: ${a.observed}${a.detail ? ` (${a.detail})` : ""}`;
  const observed = a.observed === null && a.detail ? "nothing" : JSON.stringify(a.observed);
  return `${a.assertion} expected ${a.expected}, observed ${observed}${a.detail ? ` (${a.detail})` : ""}${a.severity === "warn" ? " [warn]" : ""}`;
}
