/**
 * Health checks and smoke tests: the toolkit's `health-check` and `smoke` run in a container against a URL,
 * an environment, or the freshly built images started as services.
 */
import { Container } from "@dagger.io/dagger"

import { stackOf, FRONTEND_PORT } from "./dev.js"
import { OUT_DIR } from "./paths.js"
import { runToolkit } from "./toolkit-run.js"

/** Alias the smoke runner reaches the image stack at. */
export const STACK_ALIAS = "frontend"

/** Outcome of one toolkit verdict run. */
export interface VerdictRun {
  /** 0 pass or warn, 1 fail, 2 invalid input, 3 nothing answered (docs/architecture.md). */
  readonly exitCode: number
  /** The machine verdict printed with `--json`. */
  readonly json: string
  /** The Markdown report. */
  readonly report: string
}

/** Run a toolkit command that prints a JSON verdict and writes a Markdown report; never cached. */
export async function verdictRun(toolkit: Container, args: string[], cacheBuster: string): Promise<VerdictRun> {
  const run = await runToolkit(toolkit, [...args, "--json", "--report", `${OUT_DIR}/report.md`], { fresh: cacheBuster })
  const json = await run.stdout()
  // 0 and 1 are verdicts with a report; 2 (invalid input) and 3 (nothing answered) may stop before writing one.
  const report = run.exitCode <= 1 ? await run.file(`${OUT_DIR}/report.md`).contents() : `${await run.stderr()}\n${json}`.trim()
  return { exitCode: run.exitCode, json, report }
}

/** Return the report when the verdict passed (or warned); otherwise throw with the report. */
export function verdictOrThrow(what: string, run: VerdictRun): string {
  if (run.exitCode === 0) return run.report
  throw new Error(`${what} failed (exit ${run.exitCode})\n\n${run.report.trim()}`)
}

/** Build the `health-check` arguments for ad-hoc URLs or an environment (exactly one). */
export function healthArgs(urls: readonly string[], env?: string): string[] {
  if ((urls.length > 0) === (env !== undefined)) throw new Error("health-check: give either --url URL… or --env NAME (an environment of ci/config/environments.yaml)")
  return env !== undefined ? ["health-check", "--env", env] : ["health-check", "--url", ...urls]
}

/** Run the smoke suite, with writes, against the given images started as a stack (frontend, backend, PostgreSQL, Redis). */
export async function smokeStack(toolkit: Container, backend: Container, frontend: Container, cacheBuster: string): Promise<VerdictRun> {
  const stack = stackOf(backend, frontend, "staging")
  const runner = toolkit.withServiceBinding(STACK_ALIAS, stack)
  return verdictRun(runner, ["smoke", "--url", `http://${STACK_ALIAS}:${FRONTEND_PORT}`, "--write"], cacheBuster)
}
