/**
 * Image variants: one built app image for one platform, named the way every report file is named.
 */
import { Container } from "@dagger.io/dagger"

/** Repository names of the two apps, appended to the registry (`ghcr.io/<owner>/<name>`). */
export enum App {
  Backend = "helloagents-backend",
  Frontend = "helloagents-frontend",
}

/** One app image built for one platform. */
export interface Variant {
  /** Repository name, e.g. `helloagents-backend`. */
  readonly image: App
  /** OCI platform, e.g. `linux/arm64`. */
  readonly platform: string
  /** The unpublished image. */
  readonly container: Container
}

/** Return the file-name stem of a variant: `<image>-<os>-<arch>[-<variant>]`. */
export function variantName(variant: Pick<Variant, "image" | "platform">): string {
  return `${variant.image}-${variant.platform.replace(/\//g, "-")}`
}

/** Return the variants of one app, in platform order. */
export function variantsOf(variants: readonly Variant[], image: App): Variant[] {
  return variants.filter((v) => v.image === image)
}

/** Return the app a repository name (`…/helloagents-backend`) belongs to. */
export function appOf(name: string): App {
  const app = Object.values(App).find((a) => name.endsWith(`/${a}`))
  if (!app) throw new Error(`release plan names an unknown image ${name}`)
  return app
}
