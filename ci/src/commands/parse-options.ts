/** Shared helpers for commands: validate commander options with a zod schema into one usage-error line. */
import type { z } from "zod";
import { UsageError } from "../errors.js";

/** The flag commander stored under `key`: `startedOn` → `--started-on`. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Parse `raw` with `schema`; on failure throw a UsageError (exit 2) naming the first invalid option as typed. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, command: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? flagName(String(issue.path[0])) : "options";
  throw new UsageError(`${command}: ${where}: ${issue?.message ?? "invalid"}`);
}

/** commander collector for repeatable options (`--image a --image b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
