/**
 * Run named stages concurrently, collect every outcome, and turn them into one verdict.
 */
import { Container } from "@dagger.io/dagger"

/** Outcome of one stage. */
export interface StageResult {
  readonly name: string
  readonly ok: boolean
  /** Exit code of the failing command, or a one-line error. */
  readonly detail: string
  /** Last lines of output of a failed stage. */
  readonly output: string
}

/** A stage whose last command, or a command it depends on (`command`), exited non-zero. */
export class StageFailure extends Error {
  constructor(
    readonly stage: string,
    readonly exitCode: number,
    readonly output: string,
    readonly command?: readonly string[],
  ) {
    super(command ? `${stage} failed: \`${command.join(" ")}\` exited ${exitCode}` : `${stage} failed (exit ${exitCode})`)
    this.name = "StageFailure"
  }

  /** The table's detail: the exit code, and the command when it was not the stage's own. */
  get detail(): string {
    return this.command ? `\`${this.command.join(" ")}\` exited ${this.exitCode}` : `exit ${this.exitCode}`
  }
}

/** What the SDK throws for a failed exec. Its class is not exported to 0.21 modules, so it is recognised by shape. */
export interface ExecFailure {
  readonly name: "ExecError"
  readonly cmd: readonly string[]
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Tell an exec failure (of this exec or of one it depends on) from any other error. */
export function isExecFailure(err: unknown): err is ExecFailure {
  if (typeof err !== "object" || err === null) return false
  const e = err as Record<string, unknown>
  return e.name === "ExecError" && Array.isArray(e.cmd) && typeof e.exitCode === "number"
}

/**
 * Name a failed exec in one line. The engine's own message is only "exit code: N", which does not say which command
 * failed when it was a dependency (a `pip install` under a test stage, a Trivy scan under the gate).
 */
export function execSummary(err: ExecFailure): string {
  return `\`${err.cmd.join(" ")}\` exited ${err.exitCode}`
}

/** The last lines a failed exec printed: stderr, or stdout when stderr is empty. */
export function execOutput(err: ExecFailure): string {
  return tail((err.stderr ?? "").trim() !== "" ? err.stderr : (err.stdout ?? ""))
}

/** Keep the last lines of a command's output for the failure message. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n")
}

/**
 * Wait for a container whose last exec ran with `expect: ReturnType.Any`, and fail with its
 * output when it exited non-zero. Report files written by that exec stay reachable either way.
 */
export async function passed(stage: string, ctr: Container): Promise<Container> {
  const code = await ctr.exitCode().catch((err: unknown) => {
    // An exec before the stage's own (a dependency install) failed: name it, keep its output.
    if (isExecFailure(err)) throw new StageFailure(stage, err.exitCode, execOutput(err), err.cmd)
    throw err
  })
  if (code !== 0) {
    throw new StageFailure(stage, code, tail(await ctr.combinedOutput()))
  }
  return ctr
}

/** Run every stage at once and wait for all of them, whatever fails. */
export async function runStages(
  stages: ReadonlyArray<readonly [string, () => Promise<unknown>]>,
): Promise<StageResult[]> {
  const settled = await Promise.allSettled(stages.map(([, run]) => run()))
  return settled.map((outcome, i) => {
    const name = stages[i]![0]
    if (outcome.status === "fulfilled") return { name, ok: true, detail: "passed", output: "" }
    const err: unknown = outcome.reason
    if (err instanceof StageFailure) return { name, ok: false, detail: err.detail, output: err.output }
    if (isExecFailure(err)) return { name, ok: false, detail: execSummary(err), output: execOutput(err) }
    const message = err instanceof Error ? err.message : String(err)
    return { name, ok: false, detail: message.split("\n")[0] ?? "error", output: message }
  })
}

/** Render results as a short Markdown table. */
export function summarize(title: string, results: readonly StageResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.ok ? "passed" : "FAILED"} | ${r.ok ? "" : r.detail} |`)
  const failed = results.filter((r) => !r.ok).length
  const verdict = failed === 0 ? `all ${results.length} stages passed` : `${failed} of ${results.length} stages failed`
  return [`## ${title}: ${verdict}`, "", "| stage | result | detail |", "|---|---|---|", ...rows].join("\n")
}

/** Return the summary when every stage passed; otherwise throw an error naming each failed stage. */
export function verdict(title: string, results: readonly StageResult[]): string {
  const summary = summarize(title, results)
  const failed = results.filter((r) => !r.ok)
  if (failed.length === 0) return summary
  const names = failed.map((r) => `${r.name} (${r.detail})`).join(", ")
  const outputs = failed.map((r) => `### ${r.name}\n${r.output}`).join("\n\n")
  throw new Error(`${title} failed: ${names}\n\n${summary}\n\n${outputs}`)
}
