/** `hello-ci sbom-check`: validate a CycloneDX or SPDX JSON SBOM; exit 0 valid, 1 invalid, 2 unreadable/not an SBOM. */
import { Command } from "commander";
import { z } from "zod";
import { checkSbom, sbomFormats } from "../core/sbom/validate.js";
import { ExitCode, UsageError } from "../errors.js";
import type { Io } from "../io.js";
import type { SbomCheckResult } from "../schemas/sbom-check.js";
import { readInput } from "./files.js";
import { parseOptions } from "./parse-options.js";

export const sbomCheckOptionsSchema = z.object({
  sbom: z.string({ error: "missing: give the SBOM file, e.g. --sbom sbom.cdx.json" }).min(1),
  format: z.enum(["auto", ...sbomFormats], { error: "expected auto, cyclonedx or spdx" }).default("auto"),
  json: z.boolean().default(false),
});
export type SbomCheckOptions = z.infer<typeof sbomCheckOptionsSchema>;

export function sbomCheckCommand(io: Io): Command {
  return new Command("sbom-check")
    .description("validate a CycloneDX or SPDX JSON SBOM against its schema and count its components")
    .option("--sbom <file>", "SBOM file (JSON)")
    .option("--format <format>", "auto, cyclonedx or spdx", "auto")
    .option("--json", "print the result as JSON (schema hello-ci/sbom-check@1)")
    .action(async (raw: Record<string, unknown>) => {
      const options = parseOptions(sbomCheckOptionsSchema, raw, "sbom-check");
      const text = await readInput(io, options.sbom, "SBOM");
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`SBOM ${options.sbom} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
          suggestion: "sbom-check reads CycloneDX JSON or SPDX JSON, not XML or tag-value",
          cause: error,
        });
      }
      const check = await checkSbom(document, text, options.format);
      if (check.outcome === "unsupported") throw new UsageError(`SBOM ${options.sbom}: ${check.reason}`);
      const result: SbomCheckResult =
        check.outcome === "valid"
          ? { schema: "hello-ci/sbom-check@1", file: options.sbom, valid: true, format: check.format, specVersion: check.specVersion, components: check.components, topLevelComponents: check.topLevelComponents, ...(check.files !== undefined ? { files: check.files } : {}) }
          : { schema: "hello-ci/sbom-check@1", file: options.sbom, valid: false, format: check.format, specVersion: check.specVersion, error: check.error, errorCount: check.errorCount };
      if (options.json) io.out(JSON.stringify(result, null, 2));
      const label = `${result.format === "cyclonedx" ? "CycloneDX" : "SPDX"} ${result.specVersion.replace(/^SPDX-/, "")}`;
      if (result.valid) {
        if (!options.json) io.out(`${options.sbom}: valid ${label}, ${result.components} ${result.format === "cyclonedx" ? "components" : "packages"}${result.files !== undefined ? `, ${result.files} files` : ""}`);
        return;
      }
      io.err(`hello-ci: sbom-check: ${options.sbom} is not valid ${label}: ${result.error}${(result.errorCount ?? 1) > 1 ? ` (first of ${result.errorCount} errors)` : ""}`);
      io.exitCode = ExitCode.CheckFailed;
    });
}
