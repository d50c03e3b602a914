/**
 * SBOM validation: CycloneDX JSON with @cyclonedx/cyclonedx-library's JSON validator (ajv + ajv-formats + ajv-formats-draft2019)
 * for the spec version the document declares; SPDX 2.2/2.3 JSON with the SPDX JSON schema the caller supplies (ajv;
 * hello-ci reads the vendored ones from ci/json-schemas/ in src/json-schemas.ts).
 *
 * Outcomes: `valid` (format, version, count), `invalid` (the first schema error: path + message) → exit 1,
 * `unsupported` (not an SBOM we know, or a spec version without a JSON schema) → exit 2.
 */
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export const sbomFormats = ["cyclonedx", "spdx"] as const;
export type SbomFormat = (typeof sbomFormats)[number];

export type SbomCheck =
  | { outcome: "valid"; format: SbomFormat; specVersion: string; components: number; topLevelComponents: number; files?: number }
  | { outcome: "invalid"; format: SbomFormat; specVersion: string; error: string; errorCount: number }
  | { outcome: "unsupported"; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** CycloneDX has `bomFormat: "CycloneDX"`; SPDX has `spdxVersion: "SPDX-2.x"`. */
export function detectSbomFormat(document: unknown): SbomFormat | undefined {
  if (!isRecord(document)) return undefined;
  if (document.bomFormat === "CycloneDX") return "cyclonedx";
  if (typeof document.spdxVersion === "string" && document.spdxVersion.startsWith("SPDX-")) return "spdx";
  return undefined;
}

/** `/components/3/type: must be equal to one of the allowed values (allowed: application, …)`. */
export function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    Array.isArray(params.allowedValues) ? ` (allowed: ${params.allowedValues.slice(0, 8).join(", ")})` :
    typeof params.additionalProperty === "string" ? ` ('${params.additionalProperty}')` :
    "";
  return `${where}: ${error.message ?? "invalid"}${detail}`;
}

function countCycloneDxComponents(components: unknown): number {
  if (!Array.isArray(components)) return 0;
  return components.reduce<number>((sum, component) => sum + 1 + (isRecord(component) ? countCycloneDxComponents(component.components) : 0), 0);
}

const cycloneDxVersions = new Set<string>(Object.values(Spec.Version));
// Compiling a CycloneDX schema takes about a second: keep one validator per spec version.
const cycloneDxValidators = new Map<string, Validation.JsonValidator>();

function cycloneDxValidator(version: Spec.Version): Validation.JsonValidator {
  let validator = cycloneDxValidators.get(version);
  if (validator === undefined) {
    validator = new Validation.JsonValidator(version);
    cycloneDxValidators.set(version, validator);
  }
  return validator;
}

async function checkCycloneDx(document: Record<string, unknown>, text: string): Promise<SbomCheck> {
  const specVersion = typeof document.specVersion === "string" ? document.specVersion : undefined;
  if (specVersion === undefined) return { outcome: "invalid", format: "cyclonedx", specVersion: "(missing)", error: "/: must have required property 'specVersion'", errorCount: 1 };
  if (!cycloneDxVersions.has(specVersion)) return { outcome: "unsupported", reason: `CycloneDX specVersion '${specVersion}' is unknown: supported ${[...cycloneDxVersions].sort().join(", ")}` };
  let result: unknown;
  try {
    result = await cycloneDxValidator(specVersion as Spec.Version).validate(text);
  } catch (error) {
    if (error instanceof Validation.NotImplementedError) return { outcome: "unsupported", reason: `CycloneDX ${specVersion} has no JSON format (JSON exists from 1.2 on)` };
    throw error;
  }
  if (result !== null) {
    const errors = (Array.isArray(result) ? result : [result]) as ErrorObject[];
    const first = errors[0];
    return { outcome: "invalid", format: "cyclonedx", specVersion, error: first ? describeSchemaError(first) : "invalid", errorCount: errors.length };
  }
  return {
    outcome: "valid",
    format: "cyclonedx",
    specVersion,
    components: countCycloneDxComponents(document.components),
    topLevelComponents: Array.isArray(document.components) ? document.components.length : 0,
  };
}

/** Where the SPDX JSON schemas come from: the versions there are, and each version's schema. */
export interface SpdxSchemas {
  versions: readonly string[];
  load(version: string): Promise<object>;
}

// Compiled once per schema object.
const spdxValidators = new WeakMap<object, ValidateFunction>();

function spdxValidator(schema: object): ValidateFunction {
  const cached = spdxValidators.get(schema);
  if (cached) return cached;
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  spdxValidators.set(schema, validate);
  return validate;
}

async function checkSpdx(document: Record<string, unknown>, schemas: SpdxSchemas): Promise<SbomCheck> {
  const specVersion = String(document.spdxVersion);
  if (!schemas.versions.includes(specVersion)) return { outcome: "unsupported", reason: `${specVersion} has no JSON schema here: supported ${schemas.versions.join(", ")}` };
  const validate = spdxValidator(await schemas.load(specVersion));
  if (!validate(document)) {
    const errors = validate.errors ?? [];
    const first = errors[0];
    return { outcome: "invalid", format: "spdx", specVersion, error: first ? describeSchemaError(first) : "invalid", errorCount: errors.length };
  }
  const packages = Array.isArray(document.packages) ? document.packages.length : 0;
  return { outcome: "valid", format: "spdx", specVersion, components: packages, topLevelComponents: packages, files: Array.isArray(document.files) ? document.files.length : 0 };
}

/** Validate an already-parsed SBOM (`text` is its source, which the CycloneDX validator re-parses). */
export async function checkSbom(document: unknown, text: string, format: SbomFormat | "auto", spdxSchemas: SpdxSchemas): Promise<SbomCheck> {
  const detected = detectSbomFormat(document);
  const chosen = format === "auto" ? detected : format;
  if (chosen === undefined || !isRecord(document)) {
    return { outcome: "unsupported", reason: "not a CycloneDX (bomFormat: CycloneDX) or SPDX (spdxVersion: SPDX-2.x) JSON document" };
  }
  if (chosen === "spdx") {
    if (typeof document.spdxVersion !== "string") return { outcome: "invalid", format: "spdx", specVersion: "(missing)", error: "/: must have required property 'spdxVersion'", errorCount: 1 };
    return checkSpdx(document, spdxSchemas);
  }
  return checkCycloneDx(document, text);
}
