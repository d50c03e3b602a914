/**
 * The vendored JSON schemas in ci/json-schemas/ (beside src/ and dist/), read at run time: the SPDX 2.2 and 2.3 JSON
 * schemas that `sbom-check` validates against. Each is read and parsed once per process.
 */
import { readFile } from "node:fs/promises";
import type { SpdxSchemas } from "./core/sbom/validate.js";

const SPDX_FILES: Readonly<Record<string, string>> = { "SPDX-2.2": "spdx-2.2.schema.json", "SPDX-2.3": "spdx-2.3.schema.json" };
const loaded = new Map<string, Promise<object>>();

async function readSchema(file: string): Promise<object> {
  return withSpecPurposes(JSON.parse(await readFile(new URL(`../json-schemas/${file}`, import.meta.url), "utf8")) as object);
}

/**
 * The SPDX 2.3 specification (clause 7.24) spells the purpose `OPERATING-SYSTEM`, and Trivy writes it so for the image's
 * OS package; the 2.3 JSON schema's enum says `OPERATING_SYSTEM`. Accept both, or no Trivy SBOM of an image passes.
 */
function withSpecPurposes(schema: object): object {
  const purpose = (schema as { properties?: { packages?: { items?: { properties?: { primaryPackagePurpose?: { enum?: string[] } } } } } })
    .properties?.packages?.items?.properties?.primaryPackagePurpose;
  if (purpose?.enum?.includes("OPERATING_SYSTEM") && !purpose.enum.includes("OPERATING-SYSTEM")) purpose.enum.push("OPERATING-SYSTEM");
  return schema;
}

export const vendoredSpdxSchemas: SpdxSchemas = {
  versions: Object.keys(SPDX_FILES),
  load(version) {
    const file = SPDX_FILES[version];
    if (file === undefined) return Promise.reject(new Error(`no vendored SPDX schema for ${version}`));
    let schema = loaded.get(file);
    if (schema === undefined) {
      schema = readSchema(file);
      loaded.set(file, schema);
    }
    return schema;
  },
};
