/** `hello-ci sbom-check`: validate a CycloneDX or SPDX JSON SBOM; exit 0 valid, 1 invalid, 2 unreadable/not an SBOM. */
import { z } from "zod";
import { checkSbom, sbomFormats } from "../core/sbom/validate.js";
import { UsageError } from "../errors.js";
import { vendoredSpdxSchemas } from "../json-schemas.js";
import type { SbomCheckResult } from "../schemas/sbom-check.js";
import { defineCommand } from "./kit/define.js";
import { defaultedFlag, flag, flagsObject, switchFlag } from "./kit/flags.js";

const flags = {
  sbom: flag("<file>", "SBOM file (JSON)", z.string({ error: "missing: give the SBOM file, e.g. --sbom sbom.cdx.json" }).min(1)),
  format: defaultedFlag("<format>", "auto, cyclonedx or spdx", z.enum(["auto", ...sbomFormats], { error: "expected auto, cyclonedx or spdx" }), "auto"),
  json: switchFlag("print the result as JSON (schema hello-ci/sbom-check@1)"),
};

export const sbomCheckOptionsSchema = flagsObject(flags);
export type SbomCheckOptions = z.infer<typeof sbomCheckOptionsSchema>;

export const sbomCheckCommand = defineCommand({
  name: "sbom-check",
  description: "validate a CycloneDX or SPDX JSON SBOM against its schema and count its components",
  flags,
  schema: sbomCheckOptionsSchema,
  exitCodes: "0 valid, 1 invalid against its schema, 2 unreadable or not a CycloneDX/SPDX JSON document",
  async run(ctx, options) {
    const text = await ctx.readFile("sbom", options.sbom);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`SBOM ${options.sbom} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
        suggestion: "sbom-check reads CycloneDX JSON or SPDX JSON, not XML or tag-value",
        cause: error,
      });
    }
    const check = await checkSbom(document, text, options.format, vendoredSpdxSchemas);
    if (check.outcome === "unsupported") throw new UsageError(`SBOM ${options.sbom}: ${check.reason}`);
    const result: SbomCheckResult =
      check.outcome === "valid"
        ? { schema: "hello-ci/sbom-check@1", file: options.sbom, valid: true, format: check.format, specVersion: check.specVersion, components: check.components, topLevelComponents: check.topLevelComponents, ...(check.files !== undefined ? { files: check.files } : {}) }
        : { schema: "hello-ci/sbom-check@1", file: options.sbom, valid: false, format: check.format, specVersion: check.specVersion, error: check.error, errorCount: check.errorCount };
    if (options.json) ctx.io.out(JSON.stringify(result, null, 2));
    const label = `${result.format === "cyclonedx" ? "CycloneDX" : "SPDX"} ${result.specVersion.replace(/^SPDX-/, "")}`;
    if (result.valid) {
      if (!options.json) ctx.io.out(`${options.sbom}: valid ${label}, ${result.components} ${result.format === "cyclonedx" ? "components" : "packages"}${result.files !== undefined ? `, ${result.files} files` : ""}`);
      return;
    }
    ctx.checkFailed(`sbom-check: ${options.sbom} is not valid ${label}: ${result.error}${(result.errorCount ?? 1) > 1 ? ` (first of ${result.errorCount} errors)` : ""}`);
  },
});
