/**
 * Typed errors and the exit-code contract of hello-ci (see docs/architecture.md).
 * Only cli.ts turns these into a process exit code.
 */
import { ZodError } from "zod";

export const ExitCode = {
  Ok: 0,
  CheckFailed: 1,
  Usage: 2,
  Unreachable: 3,
  RecoveryIncomplete: 4,
  Internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorOptions {
  suggestion?: string;
  cause?: unknown;
}

/** Base class: a failure hello-ci understands, with the exit code it maps to. */
export abstract class HelloCiError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly suggestion: string | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.suggestion = options.suggestion;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.name, exitCode: this.exitCode, message: this.message, suggestion: this.suggestion };
  }
}

/** Invalid input: a bad flag, a malformed version, an unknown environment, an unreadable report. Exit 2. */
export class UsageError extends HelloCiError {
  readonly exitCode = ExitCode.Usage;
}

/** Errors that end a run before anything changed and are the user's to fix (exit 2): a deploy rethrows them as they are. */
export function isInputError(error: unknown): error is UsageError {
  return error instanceof UsageError;
}

/** A check failed as designed (scan gate, health verdict, smoke test, rejected deploy). Exit 1. */
export class CheckFailed extends HelloCiError {
  readonly exitCode = ExitCode.CheckFailed;
}

/** Infrastructure unreachable or refused; nothing was changed. Exit 3. */
export class Unreachable extends HelloCiError {
  readonly exitCode = ExitCode.Unreachable;
}

/** A deploy or rollback failed and automatic recovery did not complete: a person must look. Exit 4. */
export class RecoveryIncomplete extends HelloCiError {
  readonly exitCode = ExitCode.RecoveryIncomplete;
}

/** One line naming every invalid field of a zod error, prefixed by what was being read. */
export function describeZodError(error: ZodError, subject: string): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `${where}: ${issue.message}`;
  });
  return `${subject}: ${parts.join("; ")}`;
}

/** Map any thrown value to an exit code and the one line to print. */
export function classifyError(error: unknown): { exitCode: ExitCode; line: string; suggestion?: string } {
  if (error instanceof HelloCiError) {
    return { exitCode: error.exitCode, line: error.message, ...(error.suggestion ? { suggestion: error.suggestion } : {}) };
  }
  if (error instanceof ZodError) {
    return { exitCode: ExitCode.Usage, line: describeZodError(error, "invalid input") };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: ExitCode.Internal, line: `internal error (a bug in hello-ci): ${message}`, suggestion: "re-run with --debug for the stack trace and report it" };
}
