import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tempDir } from "../../../test/support/temp.js";
import { UsageError } from "../../errors.js";
import { memoryIo } from "../../io.js";
import { positiveDurationSchema, wholeNumberSchema } from "../../schemas/primitives.js";
import { defineCommand, type CommandContext } from "./define.js";
import { defaultedFlag, flag, flagsObject, repeatableFlag, switchFlag } from "./flags.js";

const flags = {
  timeout: defaultedFlag("<duration>", "per request", positiveDurationSchema, "5s"),
  tlsWarnDays: defaultedFlag("<days>", "warn window", wholeNumberSchema(0, 365), "21"),
  input: flag("<file>", "a file to read", z.string().optional()),
  tag: repeatableFlag("<tag>", "repeatable", z.array(z.string()).default([])),
  env: flag("<name>", "an environment", z.string().optional()),
  budget: flag("<duration>", "ad hoc budget", positiveDurationSchema.optional()),
  fail: switchFlag("report a failed check"),
};
const schema = flagsObject(flags);

async function run(args: string[], cwd = process.cwd()) {
  const io = memoryIo({ cwd });
  let seen: { options: z.output<typeof schema>; text?: string } | undefined;
  const factory = defineCommand({
    name: "demo",
    description: "a command written with the kit",
    flags,
    schema,
    conflicts: [{ flags: ["budget"], with: "env", reason: "an environment sets its own budgets" }],
    oneOf: [{ flags: ["env", "input"], problem: "give either --env NAME or --input FILE (exactly one)" }],
    exitCodes: "0 ok, 1 failed, 2 invalid input",
    async run(ctx: CommandContext<typeof flags>, options) {
      seen = { options };
      if (options.input) seen.text = await ctx.readFile("input", options.input);
      if (options.fail) ctx.checkFailed("demo: the check failed");
    },
  });
  const command = factory(io).exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  let error: unknown;
  try {
    await command.parseAsync(args, { from: "user" });
  } catch (caught) {
    error = caught;
  }
  return { io, seen, error };
}

describe("command kit: options", () => {
  it("applies zod's defaults, parsed like typed values, when no flag is given", async () => {
    const { seen, error } = await run(["--env", "staging"]);
    expect(error).toBeUndefined();
    expect(seen?.options).toEqual({ env: "staging", timeout: 5000, tlsWarnDays: 21, tag: [], fail: false });
  });

  it("parses typed values through the same schema and collects repeatable flags", async () => {
    const { seen } = await run(["--env", "e", "--timeout", "250ms", "--tls-warn-days", "30", "--tag", "a", "--tag", "b"]);
    expect(seen?.options).toMatchObject({ timeout: 250, tlsWarnDays: 30, tag: ["a", "b"] });
  });

  it("shows each default in the help text while commander holds none", () => {
    const io = memoryIo();
    const factory = defineCommand({ name: "demo", description: "d", flags, schema, run: () => undefined });
    const command = factory(io);
    expect(command.helpInformation()).toContain("per request (default: 5s)");
    expect(command.options.map((o) => o.defaultValue)).toEqual(Array(command.options.length).fill(undefined));
  });

  it("names the flag as typed, never the field, in `<command>: --flag: problem`", async () => {
    const { error } = await run(["--env", "e", "--tls-warn-days", "soon"]);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('demo: --tls-warn-days: expected a whole number from 0 to 365, got "soon"');
  });

  it.each([[[]], [["--env", "e", "--input", "f"]]])("refuses %j: exactly one of two flags is needed", async (args) => {
    const { error, seen } = await run(args);
    expect((error as Error).message).toBe("demo: --env: give either --env NAME or --input FILE (exactly one)");
    expect(seen).toBeUndefined();
  });

  it("refuses flags that conflict, naming both", async () => {
    const { error, seen } = await run(["--env", "staging", "--budget", "1s"]);
    expect((error as Error).message).toBe("demo: --budget: cannot be combined with --env: an environment sets its own budgets");
    expect(seen).toBeUndefined();
  });
});

describe("command kit: files and verdicts", () => {
  const dir = tempDir("kit-");

  it("reads a file named by a flag relative to the working directory", async () => {
    writeFileSync(join(dir, "in.txt"), "hello");
    const { seen } = await run(["--input", "in.txt"], dir);
    expect(seen?.text).toBe("hello");
  });

  it("an unreadable file is invalid input naming its flag", async () => {
    const { error } = await run(["--input", "missing.txt"], dir);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("demo: --input: cannot read missing.txt: no such file or directory");
  });

  it("a failed check prints one hello-ci line and sets exit 1", async () => {
    const { io } = await run(["--env", "e", "--fail"]);
    expect(io.stderr).toBe("hello-ci: demo: the check failed\n");
    expect(io.exitCode).toBe(1);
  });
});
