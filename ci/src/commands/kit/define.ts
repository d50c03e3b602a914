/**
 * The command kit: `defineCommand` turns a name, a record of flags, the zod schema built from them and a `run` function
 * into a commander command. It owns the parts every command shares:
 *   - options: commander declares each flag with no default; zod validates the raw values and owns every default;
 *   - option errors: one format, `<command>: --flag: problem` (exit 2), for zod issues, flags given together that
 *     must not be (`conflicts`) or of which exactly one is needed (`oneOf`), and unreadable files;
 *   - files: `ctx.readFile` / `ctx.writeFile`, the one reader/writer (an unreadable file names its flag);
 *   - verdicts: `ctx.checkFailed(line)` prints `hello-ci: <line>` and sets exit 1; thrown HelloCiErrors set the rest.
 */
import { Command, Option } from "commander";
import type { z } from "zod";
import { ExitCode, UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { makeFlagDir, readFlagFile, writeFlagFile } from "./files.js";
import { collect, flagName, type Flags } from "./flags.js";

export type CommandFactory = (io: Io) => Command;

type Key<F extends Flags> = keyof F & string;

/** Flags that make no sense together: giving any of `flags` with `with` is refused, saying `reason`. */
export interface Conflict<F extends Flags> {
  flags: readonly Key<F>[];
  with: Key<F>;
  reason: string;
}

/** Exactly one of `flags` must be given, e.g. --url or --env; `problem` says so (reported at the first flag). */
export interface OneOf<F extends Flags> {
  flags: readonly [Key<F>, ...Key<F>[]];
  problem: string;
}

/** What `run` gets besides its options. */
export interface CommandContext<F extends Flags = Flags> {
  readonly io: Io;
  /** The command's name, e.g. `scan-gate`. */
  readonly command: string;
  /** Read a file named by a flag (relative to the working directory). */
  readFile(key: Key<F>, file: string): Promise<string>;
  writeFile(key: Key<F>, file: string, text: string | Uint8Array): Promise<void>;
  /** Create a directory named by a flag (and its parents); returns its absolute path. */
  makeDir(key: Key<F>, dir: string): Promise<string>;
  /** The usage error (exit 2) for a flag, in the kit's format: `<command>: --flag: problem`. */
  optionError(key: Key<F>, problem: string, suggestion?: string): UsageError;
  /** A check failed as designed: print `hello-ci: <line>` on stderr and exit 1 (stdout keeps the verdict). */
  checkFailed(line: string): void;
}

export interface CommandSpec<F extends Flags, S extends z.ZodType> {
  name: string;
  description: string;
  flags: F;
  /** `flagsObject(flags)`, refined where flags depend on each other; export it as `<verb>OptionsSchema`. */
  schema: S;
  conflicts?: readonly Conflict<F>[];
  oneOf?: readonly OneOf<F>[];
  /** The command's exit codes, shown after the options, e.g. `0 pass, 1 blocked, 2 invalid input`. */
  exitCodes?: string;
  run(ctx: CommandContext<F>, options: z.output<S>): void | Promise<void>;
}

/** `<command>: --flag: problem` for the first zod issue (the flag as typed, never the field name). */
export function describeOptionIssue(command: string, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  const key = issue?.path[0];
  const where = typeof key === "string" ? flagName(key) : "options";
  return `${command}: ${where}: ${issue?.message ?? "invalid"}`;
}

/** Parse raw commander values (only the flags the user gave: commander holds no defaults) into the command's options. */
export function parseCommandOptions<F extends Flags, S extends z.ZodType>(
  spec: Pick<CommandSpec<F, S>, "name" | "schema" | "conflicts" | "oneOf">,
  raw: Record<string, unknown>,
): z.output<S> {
  for (const rule of spec.oneOf ?? []) {
    if (rule.flags.filter((key) => raw[key] !== undefined).length !== 1) throw new UsageError(`${spec.name}: ${flagName(rule.flags[0])}: ${rule.problem}`);
  }
  for (const conflict of spec.conflicts ?? []) {
    const given = conflict.flags.find((key) => raw[key] !== undefined);
    if (given !== undefined && raw[conflict.with] !== undefined) {
      throw new UsageError(`${spec.name}: ${flagName(given)}: cannot be combined with ${flagName(conflict.with)}: ${conflict.reason}`);
    }
  }
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(describeOptionIssue(spec.name, parsed.error.issues));
  return parsed.data;
}

function context<F extends Flags>(io: Io, command: string): CommandContext<F> {
  const where = (key: string) => `${command}: ${flagName(key)}`;
  return {
    io,
    command,
    readFile: (key, file) => readFlagFile(io, where(key), file),
    writeFile: (key, file, text) => writeFlagFile(io, where(key), file, text),
    makeDir: (key, dir) => makeFlagDir(io, where(key), dir),
    optionError: (key, problem, suggestion) => new UsageError(`${where(key)}: ${problem}`, suggestion ? { suggestion } : {}),
    checkFailed(line) {
      io.err(`hello-ci: ${line}`);
      io.exitCode = ExitCode.CheckFailed;
    },
  };
}

export function defineCommand<F extends Flags, S extends z.ZodType>(spec: CommandSpec<F, S>): CommandFactory {
  return (io) => {
    const command = new Command(spec.name).description(spec.description);
    for (const [key, flag] of Object.entries(spec.flags)) {
      const option = new Option(flag.arg ? `${flagName(key)} ${flag.arg}` : flagName(key), flag.help);
      if (flag.repeatable) option.argParser(collect);
      command.addOption(option);
    }
    if (spec.exitCodes) command.addHelpText("after", `\nExit codes: ${spec.exitCodes}.`);
    command.action(async (raw: Record<string, unknown>) => {
      const options = parseCommandOptions(spec, raw);
      await spec.run(context<F>(io, spec.name), options);
    });
    return command;
  };
}
