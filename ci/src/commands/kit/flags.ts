/**
 * Flags as data: each flag is its zod schema plus the words commander shows. The kit turns a record of flags into the
 * commander options (with no defaults of their own) and into the zod object that validates them, so a default is written
 * once, in zod, and the help text is derived from it.
 */
import { z } from "zod";

export interface Flag<S extends z.ZodType = z.ZodType> {
  /** `<file>`, `<url...>` (variadic), or undefined for a switch such as --json. */
  arg: string | undefined;
  help: string;
  schema: S;
  /** `--image a --image b` collects every value into an array. */
  repeatable: boolean;
}

export type Flags = Record<string, Flag>;

/** The zod shape of a record of flags: key → schema. */
export type FlagsShape<F extends Flags> = { [K in keyof F]: F[K]["schema"] };

/** The flag commander reads into `key`: `tlsWarnDays` → `--tls-warn-days`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A flag taking a value; the schema decides whether it is required and what it becomes. */
export function flag<S extends z.ZodType>(arg: string, help: string, schema: S): Flag<S> {
  return { arg, help, schema, repeatable: false };
}

/** A flag that may be given several times (`--report a.json --report b.json`): the schema sees an array. */
export function repeatableFlag<S extends z.ZodType>(arg: string, help: string, schema: S): Flag<S> {
  return { arg, help, schema, repeatable: true };
}

/** An on/off switch, off unless given. */
export function switchFlag(help: string): Flag<z.ZodDefault<z.ZodBoolean>> {
  return { arg: undefined, help, schema: z.boolean().default(false), repeatable: false };
}

type Typed<S extends z.ZodType> = Exclude<z.input<S>, undefined>;

/**
 * A flag with a default, given as a user would type it ("5s", "6", ["200"]): zod parses the default through the same
 * schema as a typed value (`prefault`), and the help says `(default: 5s)`. `shown` replaces the value in the help.
 */
export function defaultedFlag<S extends z.ZodType>(arg: string, help: string, schema: S, value: Typed<S>, shown?: string): Flag<z.ZodPrefault<S>> {
  const text = shown ?? (Array.isArray(value) ? value.join(" ") : String(value));
  return { arg, help: `${help} (default: ${text})`, schema: schema.prefault(value), repeatable: false };
}

/** The strict zod object of a record of flags (commander only sets flags it knows, so strict never bites a user). */
export function flagsObject<F extends Flags>(flags: F): z.ZodObject<FlagsShape<F>, z.core.$strict> {
  const shape = Object.fromEntries(Object.entries(flags).map(([key, f]) => [key, f.schema])) as FlagsShape<F>;
  return z.strictObject(shape);
}

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
