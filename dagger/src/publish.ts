/**
 * Publishing: every tag of every image with all its platform variants and gzip layers, credentials only as a
 * Secret through `withRegistryAuth`; and, for dry runs, a check that each pushed index lists every platform.
 */
import { Container, ImageLayerCompression, ReturnType, Secret, Service, dag } from "@dagger.io/dagger"

import { PlannedImage } from "./toolkit-json.js"
import { REGISTRY_PORT } from "./services.js"
import { Variant } from "./variants.js"

/** Registry credentials: the password is never anything but a Secret. */
export interface RegistryAuth {
  /** Registry host, e.g. `ghcr.io`. */
  readonly address: string
  readonly username: string
  readonly password: Secret
}

/** Where to publish: a real registry (with optional credentials) or a throwaway registry service. */
export interface PublishTarget {
  readonly auth?: RegistryAuth
  readonly registryService?: Service
}

/** One published image: its index digest and every reference pushed. */
export interface PublishedImage {
  /** Repository, e.g. `ghcr.io/acme/helloagents-backend`. */
  readonly name: string
  /** `sha256:…` of the pushed index (the same for every tag). */
  readonly digest: string
  /** `name:tag@sha256:…` as returned by publish, one per tag. */
  readonly references: readonly string[]
}

/** Return the registry host of `ghcr.io/owner` or `ghcr.io/owner/image`. */
export function registryHost(registry: string): string {
  return registry.split("/")[0]!
}

/** Return the `sha256:…` digest of a `ref@sha256:…` returned by publish; throw on anything else. */
export function digestOf(ref: string): string {
  const digest = ref.slice(ref.lastIndexOf("@") + 1)
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`publish returned ${ref}, which carries no sha256 digest`)
  return digest
}

/** Return the empty container publishes start from, with the registry credentials when given. */
export function publisher(target: PublishTarget): Container {
  const ctr = dag.container()
  return target.auth ? ctr.withRegistryAuth(target.auth.address, target.auth.username, target.auth.password) : ctr
}

/** Publish every tag of one image, tag after tag, and check they all point at the same index. */
export async function publishImage(image: PlannedImage, variants: readonly Variant[], target: PublishTarget): Promise<PublishedImage> {
  const platformVariants = variants.map((v) => v.container)
  const references: string[] = []
  for (const ref of image.references) {
    references.push(
      await publisher(target).publish(ref, {
        platformVariants,
        forcedCompression: ImageLayerCompression.Gzip,
        ...(target.registryService ? { registryService: target.registryService } : {}),
      }),
    )
  }
  const digests = new Set(references.map(digestOf))
  if (digests.size !== 1) throw new Error(`${image.name}: tags were published with different digests: ${[...digests].join(", ")}`)
  return { name: image.name, digest: [...digests][0]!, references }
}

/** Alias the index check reaches the throwaway registry at. */
export const REGISTRY_ALIAS = "registry"

/**
 * Fetch what a digest names with node's fetch and print it as an index. A release of several platforms pushes an index;
 * a release of one platform pushes a single image manifest (the engine makes no index of one variant), whose platform
 * is in its config blob: that is printed as an index of one. Registries answer 404 to an Accept that leaves the pushed
 * media type out, so every type is listed.
 *   node --input-type=module -e FETCH_MANIFEST <manifest URL> <digest>
 */
export const FETCH_MANIFEST = [
  "const accept = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'",
  "const get = async (url, type) => { const r = await fetch(url, { headers: { accept: type } }); if (!r.ok) { console.error('GET ' + url + ': HTTP ' + r.status); process.exit(1) } return r.json() }",
  "const [url, digest] = process.argv.slice(1)",
  "const m = await get(url, accept)",
  "if (!m.config) { process.stdout.write(JSON.stringify(m)); process.exit(0) }",
  "const c = await get(url.replace(/\\/manifests\\/[^/]+$/, '/blobs/' + m.config.digest), 'application/json')",
  "process.stdout.write(JSON.stringify({ manifests: [{ digest, platform: { os: c.os, architecture: c.architecture, variant: c.variant } }] }))",
].join("\n")

/** Return `os/arch` → manifest digest of an index as FETCH_MANIFEST prints it. */
export function platformsOf(indexJson: string): Record<string, string> {
  const index = JSON.parse(indexJson) as { manifests?: Array<{ digest?: string; platform?: { os?: string; architecture?: string; variant?: string } }> }
  const out: Record<string, string> = {}
  for (const m of index.manifests ?? []) {
    if (m.platform?.os && m.platform.architecture && m.digest) out[`${m.platform.os}/${m.platform.architecture}`] = m.digest
  }
  return out
}

/** Return `os/arch[/variant]` → manifest digest for a pushed index (or single-platform manifest) read from the throwaway registry. */
export async function indexPlatforms(runner: Container, registry: Service, repository: string, digest: string): Promise<Record<string, string>> {
  const url = `http://${REGISTRY_ALIAS}:${REGISTRY_PORT}/v2/${repository}/manifests/${digest}`
  const run = runner
    .withServiceBinding(REGISTRY_ALIAS, registry)
    .withExec(["node", "--input-type=module", "-e", FETCH_MANIFEST, url, digest], { expect: ReturnType.Any })
  if ((await run.exitCode()) !== 0) throw new Error(`dry run: could not read the pushed index: ${(await run.stderr()).trim()}`)
  return platformsOf(await run.stdout())
}

/** Throw unless every requested platform is in the index. */
export function assertPlatforms(repository: string, found: Readonly<Record<string, string>>, wanted: readonly string[]): void {
  const missing = wanted.filter((p) => !(p.split("/").slice(0, 2).join("/") in found))
  if (missing.length > 0) {
    throw new Error(`dry run: the index of ${repository} lacks ${missing.join(", ")} (it lists ${Object.keys(found).join(", ") || "nothing"})`)
  }
}
