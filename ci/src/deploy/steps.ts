/**
 * Ordered steps that each say what they did and why (the Argo reconciler habit): a step returns its one-line detail,
 * prints one progress line on stderr, and lands in the report; a step that fails says why and stops the run.
 */
import type { StepResult } from "../schemas/deploy-report.js";

/** One line about an error for a reason or a warning: a failed step's own words, else an error's first line. */
export function errorLine(error: unknown): string {
  if (error instanceof StepFailed) return error.message;
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

/** A step that failed as designed (not ready, smoke failed, bake failed): the run recovers and exits 1. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
    this.name = "StepFailed";
  }
}

export interface StepClock {
  monotonicMs(): number;
}

export class Steps {
  readonly results: StepResult[] = [];
  private index = 0;

  constructor(
    /** `deploy staging` or `rollback production`: the prefix of every progress line. */
    private readonly title: string,
    private readonly progress: (line: string) => void,
    private readonly clock: StepClock,
  ) {}

  /** Run one step; `fn` returns its detail (or throws). */
  async run(name: string, fn: () => Promise<string>): Promise<void> {
    this.index += 1;
    const started = this.clock.monotonicMs();
    try {
      const detail = await fn();
      this.record(name, "done", detail, started);
    } catch (error) {
      const detail = error instanceof StepFailed ? error.detail : error instanceof Error ? error.message.split("\n")[0]! : String(error);
      this.record(name, "failed", detail, started);
      throw error;
    }
  }

  /** Note a step that did not need to run, and why. */
  skip(name: string, why: string): void {
    this.index += 1;
    this.record(name, "skipped", why, this.clock.monotonicMs());
  }

  /** A progress line inside a long step (waiting, a bake round). */
  note(line: string): void {
    this.progress(`${this.title}:   ${line}`);
  }

  private record(name: string, outcome: StepResult["outcome"], detail: string, started: number): void {
    const durationMs = Math.max(0, Math.round(this.clock.monotonicMs() - started));
    this.results.push({ name, outcome, detail, durationMs });
    const mark = outcome === "done" ? "ok" : outcome === "skipped" ? "skip" : "FAILED";
    this.progress(`${this.title}: [${this.index}] ${name}: ${mark}: ${detail} (${(durationMs / 1000).toFixed(1)}s)`);
  }
}
