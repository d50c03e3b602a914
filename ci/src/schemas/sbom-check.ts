/** The JSON printed by `hello-ci sbom-check --json` (schema hello-ci/sbom-check@1). */
import { z } from "zod";

export const sbomCheckResultSchema = z.object({
  schema: z.literal("hello-ci/sbom-check@1"),
  file: z.string(),
  valid: z.boolean(),
  format: z.enum(["cyclonedx", "spdx"]),
  /** `1.7` for CycloneDX, `SPDX-2.3` for SPDX. */
  specVersion: z.string(),
  /** CycloneDX: every component including nested ones; SPDX: packages. Absent when invalid. */
  components: z.number().int().optional(),
  topLevelComponents: z.number().int().optional(),
  /** SPDX only: files. */
  files: z.number().int().optional(),
  /** The first schema error, `path: message`, when invalid. */
  error: z.string().optional(),
  errorCount: z.number().int().optional(),
});
export type SbomCheckResult = z.infer<typeof sbomCheckResultSchema>;
