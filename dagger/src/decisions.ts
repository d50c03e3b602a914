/**
 * The toolkit's JSON answers, read with small type guards (the module has no runtime dependencies, so no zod):
 * `hello-ci/release-plan@1`, `hello-ci/scan-verdict@1` and `hello-ci/sbom-check@1` (schemas in ci/src/schemas/).
 */

/** One image of a release plan. */
export interface PlannedImage {
  /** Lowercased repository, e.g. `ghcr.io/acme/helloagents-backend`. */
  readonly name: string
  /** `name:tag` for every tag. */
  readonly references: readonly string[]
  /** OCI labels (`org.opencontainers.image.*`). */
  readonly labels: Readonly<Record<string, string>>
}

/** The parts of `hello-ci release-plan --json` the module uses. */
export interface ReleasePlan {
  readonly version: string
  readonly revision: string
  readonly created: string
  readonly tags: readonly string[]
  readonly images: readonly PlannedImage[]
}

/** The parts of `hello-ci scan-gate --json` the module uses. */
export interface ScanVerdict {
  readonly decision: "pass" | "block"
  readonly reason: string
  readonly counts: Readonly<Record<string, number>>
  readonly blocking: readonly unknown[]
}

/** The parts of `hello-ci sbom-check --json` the module uses. */
export interface SbomCheck {
  readonly valid: boolean
  readonly format: string
  readonly components?: number
  readonly error?: string
}

type Json = Record<string, unknown>

/** Type guards for the JSON shapes below. */
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === "string"
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString)
const isCountMap = (v: unknown): v is Record<string, number> => isObject(v) && Object.values(v).every((n) => Number.isInteger(n))

/** Parse JSON text or fail naming what was being read. */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${what}: the toolkit did not print JSON: ${text.slice(0, 200)}`)
  }
}

/** Return true if `v` is one planned image. */
function isPlannedImage(v: unknown): v is PlannedImage {
  return isObject(v) && isString(v.name) && isStringList(v.references) && isStringMap(v.labels)
}

/** Read `hello-ci release-plan --json`; throw on any other shape. */
export function parseReleasePlan(text: string): ReleasePlan {
  const v = parseJson(text, "release-plan")
  const ok = isObject(v) && v.schema === "hello-ci/release-plan@1" && isString(v.version) && isString(v.revision) &&
    isString(v.created) && isStringList(v.tags) && Array.isArray(v.images) && v.images.every(isPlannedImage)
  if (!ok) throw new Error("release-plan: unexpected JSON (expected schema hello-ci/release-plan@1)")
  return v as unknown as ReleasePlan
}

/** Read `hello-ci scan-gate --json`; throw on any other shape. */
export function parseScanVerdict(text: string): ScanVerdict {
  const v = parseJson(text, "scan-gate")
  const ok = isObject(v) && v.schema === "hello-ci/scan-verdict@1" && (v.decision === "pass" || v.decision === "block") &&
    isString(v.reason) && isCountMap(v.counts) && Array.isArray(v.blocking)
  if (!ok) throw new Error("scan-gate: unexpected JSON (expected schema hello-ci/scan-verdict@1)")
  return v as unknown as ScanVerdict
}

/** Read `hello-ci sbom-check --json`; throw on any other shape. */
export function parseSbomCheck(text: string): SbomCheck {
  const v = parseJson(text, "sbom-check")
  const ok = isObject(v) && v.schema === "hello-ci/sbom-check@1" && typeof v.valid === "boolean" && isString(v.format)
  if (!ok) throw new Error("sbom-check: unexpected JSON (expected schema hello-ci/sbom-check@1)")
  return v as unknown as SbomCheck
}
