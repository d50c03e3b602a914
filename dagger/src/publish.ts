/**
 * Publishing: every tag of every image with all its platform variants and gzip layers, credentials only as a
 * Secret through `withRegistryAuth`; and, for dry runs, a check that each pushed index lists every platform.
 */
import { Container, ImageLayerCompression, Secret, Service, dag } from "@dagger.io/dagger"

import { PlannedImage, parseImageIndex } from "./toolkit-json.js"
import { okOrThrow, runToolkit } from "./toolkit-run.js"
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

/** The toolkit argv that reads the digest at a manifest `url` and requires every platform. */
export function imageIndexArgs(url: string, platforms: readonly string[]): string[] {
  return ["image-index", "--url", url, ...platforms.flatMap((p) => ["--platform", p]), "--json"]
}

/**
 * Read a pushed digest back from the throwaway registry with `hello-ci image-index` and require every platform; return
 * `os/arch[/variant]` → manifest digest. A one-platform release pushes a single image manifest, which the toolkit reads
 * as an index of one. A missing platform fails with the toolkit's own line (`… lacks linux/arm64 …`).
 */
export async function indexPlatforms(
  toolkit: Container, registry: Service, repository: string, digest: string, platforms: readonly string[],
): Promise<Record<string, string>> {
  const url = `http://${REGISTRY_ALIAS}:${REGISTRY_PORT}/v2/${repository}/manifests/${digest}`
  const run = await runToolkit(toolkit.withServiceBinding(REGISTRY_ALIAS, registry), imageIndexArgs(url, platforms))
  await okOrThrow(run, { refusal: `dry run: the pushed index of ${repository} was refused` })
  return parseImageIndex(await run.stdout()).platforms
}
