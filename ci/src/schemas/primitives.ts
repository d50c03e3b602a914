/** Small zod building blocks shared by flags and config files: durations, percentile budgets, conditions, URLs, times. */
import { z } from "zod";
import { parseDuration, parsePercentileBudget } from "../core/config/duration.js";
import { ConditionSyntaxError, parseCondition } from "../core/checks/condition.js";

export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: "custom", input: value, message: parsed.reason });
  return z.NEVER;
});

export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, { message: "must be greater than zero" });

export const percentileBudgetSchema = z.string().transform((value, ctx) => {
  const parsed = parsePercentileBudget(value);
  if (parsed.ok) return parsed.value;
  ctx.issues.push({ code: "custom", input: value, message: parsed.reason });
  return z.NEVER;
});

export const conditionSchema = z.string().transform((value, ctx) => {
  try {
    return parseCondition(value);
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    ctx.issues.push({ code: "custom", input: value, message: error.message });
    return z.NEVER;
  }
});

export const httpUrlSchema = z
  .string()
  .refine((value) => URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol), { message: "must be an http:// or https:// URL" });

export const tlsPolicySchema = z
  .object({
    warnDays: z.number().nonnegative(),
    failDays: z.number().nonnegative(),
  })
  .strict()
  .refine((p) => p.warnDays >= p.failDays, { message: "warnDays must be at least failDays" });

/** An RFC 3339 time with `Z` or an offset. */
export const rfc3339Schema = z.iso.datetime({ offset: true, error: "expected an RFC 3339 time, e.g. 2026-01-31T12:00:00Z" });

export const countSchema = z.coerce.number().int().positive();

const numberText = (value: string | number): number => (typeof value === "number" ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN);

/** A whole number from `min` to `max`, typed on the command line (a string) or read from a file (a number). */
export function wholeNumberSchema(min: number, max: number) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const n = numberText(value);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.issues.push({ code: "custom", input: value, message: `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });
}

/** A number of days, zero or more (fractions allowed). */
export const daysSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = numberText(value);
  if (Number.isFinite(n) && n >= 0) return n;
  ctx.issues.push({ code: "custom", input: value, message: `expected a number of days (0 or more), got ${JSON.stringify(value)}` });
  return z.NEVER;
});
