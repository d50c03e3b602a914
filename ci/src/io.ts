import { createInterface } from "node:readline/promises";
import { maskSecrets } from "./core/redact.js";

/** The process boundary handed to commands, so commands stay testable without spawning a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Commands set this to report a verdict (e.g. 1 when a gate fails) without throwing. */
  exitCode: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Monotonic-ish wall clock, injectable for tests. */
  now(): Date;
  /**
   * Ask a person and return what they typed; undefined when no terminal is attached (CI), so a command that needs a
   * confirmation must then be given --yes.
   */
  ask?(question: string): Promise<string>;
}

/** A question on the terminal (stderr), the answer from stdin; only when both are a terminal. */
function terminalQuestion(): Io["ask"] {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  };
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    exitCode: 0,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    ask: terminalQuestion(),
  };
}

/** An Io that records everything, for tests. */
export function memoryIo(overrides: Partial<Pick<Io, "env" | "cwd" | "now">> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    exitCode: 0,
    env: overrides.env ?? {},
    cwd: overrides.cwd ?? process.cwd(),
    now: overrides.now ?? (() => new Date()),
    out(text: string) {
      io.stdout += text.endsWith("\n") ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith("\n") ? text : `${text}\n`;
    },
  };
  return io;
}

/** The same Io, with every secret replaced by `***` in what it prints (the exit code is shared with `io`). */
export function maskedIo(io: Io, secrets: readonly string[]): Io {
  return {
    out: (text) => io.out(maskSecrets(text, secrets)),
    err: (text) => io.err(maskSecrets(text, secrets)),
    get exitCode() {
      return io.exitCode;
    },
    set exitCode(code: number) {
      io.exitCode = code;
    },
    env: io.env,
    cwd: io.cwd,
    now: () => io.now(),
    ...(io.ask ? { ask: io.ask } : {}),
  };
}
