/**
 * hello-ci entry point: builds the program, parses argv, and is the only place that maps errors to exit codes.
 * Every error is one line on stderr, `hello-ci: …`, commander's own usage errors included.
 */
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
import { urlCredentials } from "./core/redact.js";
import { classifyError, ExitCode } from "./errors.js";
import { maskedIo, processIo, type Io } from "./io.js";
import { toolkitVersion } from "./version.js";

/** A commander usage error, with the command it happened in (undefined: the program itself). */
type UsageFailure = CommanderError & { command?: string };

export function buildProgram(io: Io): Command {
  // commander prints nothing of its own on a usage error: main() prints the one line.
  const output = { writeOut: (s: string) => io.out(s), writeErr: (s: string) => io.err(s), outputError: () => undefined };
  const program = new Command("hello-ci")
    .description("HelloAgents delivery toolkit: every pipeline decision as a command with JSON output and exit codes")
    .version(toolkitVersion, "-V, --version", "print the hello-ci version")
    // Program options only before the command, so `release-plan --version v1.2.3` stays the command's flag.
    .enablePositionalOptions()
    .option("--debug", "print stack traces for internal errors (also accepted after the command)")
    .configureOutput(output)
    .exitOverride()
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 a check failed, 2 invalid input, 3 unreachable, 4 recovery incomplete, 70 internal error.",
    );
  for (const factory of commands) {
    const command = factory(io).configureOutput(output);
    command.exitOverride((error) => {
      throw Object.assign(error, { command: command.name() });
    });
    program.addCommand(command);
  }
  return program;
}

function usageLine(error: UsageFailure): string {
  const problem = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ").trim();
  return error.command
    ? `hello-ci: ${error.command}: ${problem} (run hello-ci ${error.command} --help for its options)`
    : `hello-ci: ${problem} (run hello-ci --help for the commands)`;
}

/** Run hello-ci with the given argv (process.argv shape) and return the exit code. */
export async function main(argv: string[], given: Io = processIo()): Promise<number> {
  // A credential typed in a URL (https://user:secret@host) is masked in everything printed, errors included.
  const secrets = urlCredentials(argv.slice(2));
  const io = secrets.length > 0 ? maskedIo(given, secrets) : given;
  const debug = argv.includes("--debug");
  const args = argv.slice(2).filter((arg) => arg !== "--debug");
  const program = buildProgram(io);
  if (args.length === 0) {
    io.err(`hello-ci: missing command: give one of ${program.commands.map((c) => c.name()).join(", ")} (run hello-ci --help for the commands)`);
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync(args, { from: "user" });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are "errors" to commander that exit 0.
      if (error.exitCode === 0) return ExitCode.Ok;
      io.err(usageLine(error));
      return ExitCode.Usage;
    }
    const { exitCode, line, suggestion } = classifyError(error);
    io.err(`hello-ci: ${line}${suggestion ? ` (${suggestion})` : ""}`);
    if (debug && exitCode === ExitCode.Internal && error instanceof Error && error.stack) io.err(error.stack);
    return exitCode;
  }
}
