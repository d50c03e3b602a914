/**
 * What health-check and smoke share: their verdict flags (declared once), the real clock, the extra CA files, and
 * emitting a verdict (JSON or text on stdout, the Markdown report file, the exit code).
 */
import { X509Certificate } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { HealthReport } from "../../core/checks/model.js";
import { renderMarkdown, renderText } from "../../core/checks/report.js";
import type { Clock } from "../../core/checks/run.js";
import { exitCodeFor } from "../../core/checks/verdict.js";
import type { Io } from "../../io.js";
import { positiveDurationSchema, wholeNumberSchema } from "../../schemas/primitives.js";
import type { CommandContext } from "./define.js";
import { defaultedFlag, flag, switchFlag } from "./flags.js";

/** --json, --report, --deadline, --concurrency, --retries, --ca; `deadline` is the command's default, e.g. "30s". */
export function verdictFlags(deadline: string) {
  return {
    json: switchFlag("print the machine verdict (JSON) on stdout"),
    report: flag("<file>", "write the Markdown report to this file", z.string().min(1).optional()),
    deadline: defaultedFlag("<duration>", "for the whole run, retries included", positiveDurationSchema, deadline),
    concurrency: defaultedFlag("<n>", "checks in flight at once", wholeNumberSchema(1, 64), "6"),
    retries: defaultedFlag("<n>", "retries per read-only request after a retriable failure (refused, timeout, reset)", wholeNumberSchema(0, 10), "2"),
    ca: flag("<file...>", "extra trusted CA certificates (PEM) for https checks", z.array(z.string().min(1)).default([])),
  };
}

export const VERDICT_EXIT_CODES = "0 pass or warn (JSON verdict says which), 1 fail, 2 invalid input, 3 nothing answered";

type VerdictContext = CommandContext<ReturnType<typeof verdictFlags>>;

export function realClock(io: Io): Clock {
  return { monotonicMs: () => performance.now(), now: () => io.now(), sleep: (ms) => sleep(ms) };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Why `text` is not a bundle of PEM certificates, or undefined when every block parses. */
export function pemCertificateProblem(text: string): string | undefined {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return "is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)";
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `certificate ${i + 1} does not parse (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return undefined;
}

/** The PEM text of every --ca file; a file that is not PEM certificates is invalid input (it would only fail the TLS chain later). */
export async function readCaFiles(ctx: VerdictContext, paths: readonly string[]): Promise<string[]> {
  return Promise.all(
    paths.map(async (path) => {
      const text = await ctx.readFile("ca", path);
      const problem = pemCertificateProblem(text);
      if (problem) throw ctx.optionError("ca", `${path} ${problem}`);
      return text;
    }),
  );
}

export interface EmitOptions {
  json: boolean;
  report?: string | undefined;
  title: string;
  /** Extra top-level fields for the JSON (smoke adds the agent it created). */
  extra?: Record<string, unknown>;
  /** One-line notes for people, after the verdict in the text and the Markdown (health-check: workloads not checked). */
  notes?: readonly string[];
}

/** Print the verdict, write the report, set the exit code (pass/warn 0, fail 1, unreachable 3). */
export async function emitReport(ctx: VerdictContext, report: HealthReport, options: EmitOptions): Promise<void> {
  const { io } = ctx;
  const plain: HealthReport = { verdict: report.verdict, checks: report.checks, startedAt: report.startedAt, durationMs: report.durationMs };
  const notes = options.notes ?? [];
  io.out(options.json ? JSON.stringify({ ...plain, ...options.extra }, null, 2) : [renderText(plain), ...notes.map((n) => `note: ${n}`)].join("\n"));
  if (options.report) await ctx.writeFile("report", options.report, `${renderMarkdown(plain, options.title)}${notes.map((n) => `\n> Note: ${n}\n`).join("")}`);
  if (report.verdict === "unreachable") io.err("hello-ci: nothing answered: every check failed before a response (see the errors above)");
  io.exitCode = exitCodeFor(report.verdict);
}
