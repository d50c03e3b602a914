/**
 * The IO edge shared by health-check and smoke: the real clock, reading CA files, and emitting a verdict
 * (JSON or text on stdout, Markdown report file, exit code on the Io).
 */
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { UsageError } from "./errors.js";
import type { Clock } from "./core/health/run.js";
import type { HealthReport } from "./core/health/model.js";
import { renderMarkdown, renderText } from "./core/health/report.js";
import { exitCodeFor } from "./core/health/verdict.js";
import type { Io } from "./io.js";

export function realClock(io: Io): Clock {
  return { monotonicMs: () => performance.now(), now: () => io.now(), sleep: (ms) => sleep(ms) };
}

export async function readCaFiles(io: Io, paths: readonly string[]): Promise<string[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return await readFile(resolve(io.cwd, path), "utf8");
      } catch (error) {
        const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
        throw new UsageError(`--ca: cannot read ${path} (${reason})`);
      }
    }),
  );
}

export interface EmitOptions {
  json: boolean;
  reportPath?: string | undefined;
  title: string;
  /** Extra top-level fields for the JSON (smoke adds the agent it created). */
  extra?: Record<string, unknown>;
}

/** Print the verdict, write the report, set the exit code (pass/warn 0, fail 1, unreachable 3). */
export async function emitReport(io: Io, report: HealthReport, options: EmitOptions): Promise<void> {
  const plain: HealthReport = { verdict: report.verdict, checks: report.checks, startedAt: report.startedAt, durationMs: report.durationMs };
  if (options.json) io.out(JSON.stringify({ ...plain, ...options.extra }, null, 2));
  else io.out(renderText(plain));
  if (options.reportPath) {
    const path = resolve(io.cwd, options.reportPath);
    try {
      await writeFile(path, renderMarkdown(plain, options.title));
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
      throw new UsageError(`--report: cannot write ${options.reportPath} (${reason})`);
    }
  }
  if (report.verdict === "unreachable") io.err("hello-ci: nothing answered: every check failed before a response (see the errors above)");
  io.exitCode = exitCodeFor(report.verdict);
}
