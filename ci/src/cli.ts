/**
 * hello-ci entry point: builds the program, parses argv, and is the only place that maps errors to exit codes.
 */
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
import { classifyError, ExitCode } from "./errors.js";
import { processIo, type Io } from "./io.js";
import { toolkitVersion } from "./version.js";

export function buildProgram(io: Io): Command {
  const program = new Command("hello-ci")
    .description("HelloAgents delivery toolkit: every pipeline decision as a command with JSON output and exit codes")
    .version(toolkitVersion, "-V, --version-info", "print the hello-ci version")
    .option("--debug", "print stack traces for internal errors")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride()
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 a check failed, 2 invalid input, 3 unreachable, 4 recovery incomplete, 70 internal error.",
    );
  for (const factory of commands) {
    const command = factory(io).exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    program.addCommand(command);
  }
  return program;
}

/** Run hello-ci with the given argv (process.argv shape) and return the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv);
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are "errors" to commander; usage mistakes were already printed by commander.
      if (error.exitCode === 0) return ExitCode.Ok;
      return ExitCode.Usage;
    }
    const { exitCode, line, suggestion } = classifyError(error);
    io.err(`hello-ci: ${line}${suggestion ? ` (${suggestion})` : ""}`);
    if (debug && error instanceof Error && error.stack) io.err(error.stack);
    return exitCode;
  }
}
