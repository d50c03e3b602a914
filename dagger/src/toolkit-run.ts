/**
 * Running the hello-ci toolkit: one way to run a command in the toolkit container, wait for its exit code, read what it
 * printed or wrote, and fail with the toolkit's own one-line message. Every stage that asks the toolkit for a decision
 * goes through here.
 */
import { Container, File, ReturnType } from "@dagger.io/dagger"

import { OUT_DIR } from "./paths.js"
import { helloCi } from "./toolkit.js"

/** How to run one toolkit command. */
export interface ToolkitCall {
  /**
   * A value that changes on every pipeline run (the time it started). Set it for runs with side effects or whose answer
   * depends on the time or on the outside world (health, smoke, deploy, the release plan), so the engine never serves
   * them from its cache. Pure runs over files (sbom-check) leave it unset and stay cacheable.
   */
  readonly fresh?: string
  /** Write stdout to this file instead of keeping it (for JSON verdicts read back as files). */
  readonly redirectStdout?: string
}

/** One finished toolkit run: its exit code, and the container to read its output and files from. */
export class ToolkitRun {
  constructor(
    /** The hello-ci subcommand, for messages. */
    readonly command: string,
    readonly exitCode: number,
    readonly container: Container,
  ) {}

  /** What the command printed on stdout. */
  stdout(): Promise<string> {
    return this.container.stdout()
  }

  /** What the command printed on stderr (progress lines and its error line). */
  stderr(): Promise<string> {
    return this.container.stderr()
  }

  /** A file the command wrote (under OUT_DIR, which exists before every run). */
  file(path: string): File {
    return this.container.file(path)
  }
}

/** A toolkit run that ended with an exit code its caller does not accept. */
export class ToolkitRefused extends Error {
  constructor(
    /** What failed, for people: `hello-ci sbom-check failed`, `provenance of ghcr.io/acme/x was refused`. */
    readonly what: string,
    readonly exitCode: number,
    /** The toolkit's own message: its last `hello-ci: …` line. */
    readonly reason: string,
  ) {
    super(`${what} (exit ${exitCode}): ${reason}`)
    this.name = "ToolkitRefused"
  }
}

/** Run `hello-ci <args…>` in `toolkit` (with whatever it has mounted) and wait for its exit code; never throws on one. */
export async function runToolkit(toolkit: Container, args: readonly string[], call: ToolkitCall = {}): Promise<ToolkitRun> {
  const prepared = call.fresh === undefined ? toolkit : toolkit.withEnvVariable("CACHE_BUSTER", call.fresh)
  const ran = prepared
    .withExec(["mkdir", "-p", OUT_DIR])
    .withExec(helloCi(...args), { expect: ReturnType.Any, ...(call.redirectStdout ? { redirectStdout: call.redirectStdout } : {}) })
  return new ToolkitRun(args[0] ?? "hello-ci", await ran.exitCode(), ran)
}

/** The toolkit's message in stderr: its last `hello-ci: …` line (errors are one such line), else the last non-empty line. */
export function toolkitMessage(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "")
  return [...lines].reverse().find((l) => l.startsWith("hello-ci: ")) ?? lines.at(-1) ?? "no output"
}

/** What a caller accepts from a run, and how to name a refusal. */
export interface Acceptance {
  /** Exit codes that are answers rather than failures (default: 0 only; gates also accept 1). */
  readonly accept?: readonly number[]
  /** How the error names what failed (default: `hello-ci <command> failed`). */
  readonly refusal?: string
}

/** Return the run when its exit code is accepted; otherwise throw with the toolkit's own message. */
export async function okOrThrow(run: ToolkitRun, opts: Acceptance = {}): Promise<ToolkitRun> {
  if ((opts.accept ?? [0]).includes(run.exitCode)) return run
  throw new ToolkitRefused(opts.refusal ?? `hello-ci ${run.command} failed`, run.exitCode, toolkitMessage(await run.stderr()))
}
