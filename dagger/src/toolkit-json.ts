/**
 * The toolkit's JSON answers the module reads: `hello-ci/release-plan@1`, `hello-ci/scan-verdict@1`,
 * `hello-ci/image-index@1` and `helloagents/deploy-images@1` (their zod schemas or commands
 * live in ci/src/schemas/). The module has no runtime dependencies, so no zod here: small readers that check each field
 * they use and build the typed value from it, failing with the schema name on any other shape.
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
  /** The toolkit's one-line reason, with its finding counts (`blocked: 2 findings at HIGH,CRITICAL (2 CRITICAL) in …`). */
  readonly reason: string
  /** Number of findings that block under the policy. */
  readonly blocking: number
  /** Findings by severity over all reports, before the policy (recorded in release.json). */
  readonly counts: Readonly<Record<string, number>>
}

/** The parts of `hello-ci image-index --json` the module uses. */
export interface ImageIndex {
  /** `os/arch[/variant]` → manifest digest. */
  readonly platforms: Readonly<Record<string, string>>
}

/** Where an environment deploys to. */
export type DeployTarget = "kubernetes" | "ecs"

/** The parts of `hello-ci deploy-images` the module uses: the release's tag references and the environment's target. */
export interface DeployImages {
  readonly backend: string
  readonly frontend: string
  readonly target: DeployTarget
}

/** A JSON shape that is not what the schema promises. */
class Unexpected extends Error {}

type Json = Record<string, unknown>

function object(v: unknown): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Unexpected()
  return v as Json
}

function string(v: unknown): string {
  if (typeof v !== "string") throw new Unexpected()
  return v
}

function list<T>(v: unknown, item: (x: unknown) => T): T[] {
  if (!Array.isArray(v)) throw new Unexpected()
  return v.map(item)
}

function count(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Unexpected()
  return v
}

function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(object(v)).map(([k, x]) => [k, string(x)]))
}

function countMap(v: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(object(v)).map(([k, x]) => [k, count(x)]))
}

/** Parse `text` as the toolkit's JSON of `schema`, read with `read`; fail naming the command and the schema. */
function readJson<T>(text: string, command: string, schema: string, read: (v: Json) => T): T {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error(`${command}: the toolkit did not print JSON: ${text.slice(0, 200)}`)
  }
  try {
    const v = object(value)
    if (v.schema !== schema) throw new Unexpected()
    return read(v)
  } catch (error) {
    if (error instanceof Unexpected) throw new Error(`${command}: unexpected JSON (expected schema ${schema})`)
    throw error
  }
}

function plannedImage(v: unknown): PlannedImage {
  const o = object(v)
  return { name: string(o.name), references: list(o.references, string), labels: stringMap(o.labels) }
}

/** Read `hello-ci release-plan --json`; throw on any other shape. */
export function parseReleasePlan(text: string): ReleasePlan {
  return readJson(text, "release-plan", "hello-ci/release-plan@1", (v) => ({
    version: string(v.version),
    revision: string(v.revision),
    created: string(v.created),
    tags: list(v.tags, string),
    images: list(v.images, plannedImage),
  }))
}

/** Read `hello-ci scan-gate --json`; throw on any other shape. */
export function parseScanVerdict(text: string): ScanVerdict {
  return readJson(text, "scan-gate", "hello-ci/scan-verdict@1", (v) => {
    if (v.decision !== "pass" && v.decision !== "block") throw new Unexpected()
    return { decision: v.decision, reason: string(v.reason), blocking: list(v.blocking, object).length, counts: countMap(v.counts) }
  })
}

/** Read `hello-ci image-index --json`; throw on any other shape. */
export function parseImageIndex(text: string): ImageIndex {
  return readJson(text, "image-index", "hello-ci/image-index@1", (v) => ({ platforms: stringMap(v.platforms) }))
}

/** Read `hello-ci deploy-images`; throw on any other shape. */
export function parseDeployImages(text: string): DeployImages {
  return readJson(text, "deploy-images", "helloagents/deploy-images@1", (v) => {
    if (v.target !== "kubernetes" && v.target !== "ecs") throw new Unexpected()
    return { backend: string(v.backend), frontend: string(v.frontend), target: v.target }
  })
}
