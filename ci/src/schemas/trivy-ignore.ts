/**
 * Trivy's YAML ignore file (`.trivyignore.yaml`, pkg/result/ignore.go):
 * `vulnerabilities|misconfigurations|secrets|licenses: [{id, paths?, purls?, statement?, expired_at?}]`.
 * `expired_at` is a date (`2026-03-01`, midnight UTC) or an RFC 3339 time; once it has passed the entry no longer applies.
 */
import { z } from "zod";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export const expiryDateSchema = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    if (value instanceof Date) return value;
    const text = value.trim();
    const date = DATE_ONLY.test(text) ? new Date(`${text}T00:00:00Z`) : z.iso.datetime({ offset: true }).safeParse(text).success ? new Date(text) : null;
    if (date === null || Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `expired_at '${text}' is not a date: use YYYY-MM-DD or an RFC 3339 time` });
      return z.NEVER;
    }
    return date;
  });

export const ignoreEntrySchema = z.strictObject({
  id: z.string().min(1, { error: "every ignore entry needs an id" }),
  paths: z.array(z.string()).optional(),
  purls: z.array(z.string()).optional(),
  statement: z.string().optional(),
  expired_at: expiryDateSchema.optional(),
});
export type IgnoreEntry = z.infer<typeof ignoreEntrySchema>;

const entries = z
  .array(ignoreEntrySchema)
  .nullish()
  .transform((value) => value ?? []);

export const trivyIgnoreFileSchema = z
  .strictObject({
    vulnerabilities: entries,
    misconfigurations: entries,
    secrets: entries,
    licenses: entries,
  })
  .nullish()
  .transform((value) => value ?? { vulnerabilities: [], misconfigurations: [], secrets: [], licenses: [] });
export type TrivyIgnoreFile = z.infer<typeof trivyIgnoreFileSchema>;
