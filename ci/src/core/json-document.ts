/**
 * A JSON document read from a file and validated with zod. Text that is not JSON (truncated, corrupt) and JSON of the
 * wrong shape are both invalid input (exit 2), never a pass: one line naming the file and, for a wrong shape, its first
 * three issues.
 */
import type { z } from "zod";
import { describeZodError, UsageError } from "../errors.js";

export interface DocumentErrors {
  /** What the file is, with its name: `report trivy.json`. */
  subject: string;
  /** The first words of the wrong-shape error: `report trivy.json is not a Trivy JSON report v2`. */
  invalid: string;
  /** What to do when the text is not JSON. */
  notJsonHint: string;
  /** What to do when the shape is wrong. */
  invalidHint: string;
}

export function parseJsonDocument<S extends z.ZodType>(schema: S, text: string, errors: DocumentErrors): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${errors.subject} is not JSON (truncated or corrupt?): ${detail}`, { suggestion: errors.notJsonHint, cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(describeZodError(parsed.error, errors.invalid).split("; ").slice(0, 3).join("; "), { suggestion: errors.invalidHint });
  }
  return parsed.data;
}
