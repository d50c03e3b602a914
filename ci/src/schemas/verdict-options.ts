/** Flags shared by the commands that print a health/smoke verdict; one definition so their rules cannot drift. */
import { z } from "zod";
import { countSchema } from "./primitives.js";

export const verdictOptionsShape = {
  json: z.boolean().default(false),
  report: z.string().min(1).optional(),
  concurrency: countSchema.max(64).default(6),
  retries: z.coerce.number().int().min(0).max(10).default(2),
  ca: z.array(z.string().min(1)).default([]),
};
