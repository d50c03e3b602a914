/**
 * Images: the apps' own Dockerfiles built per platform with `Directory.dockerBuild`, so `docker build` keeps working.
 */
import { BuildArg, Container, Directory, Platform, func, object } from "@dagger.io/dagger"

import { BACKEND, FRONTEND } from "./paths.js"
import { App, Variant } from "./variants.js"

/**
 * Platforms built by default. The one place they are written: functions use it as their parameter default, which the
 * SDK's introspector resolves from this initializer (so it must stay a plain array literal, and nothing may mutate it).
 */
export const DEFAULT_PLATFORMS: string[] = ["linux/amd64", "linux/arm64"]

/** Build the backend image from `backend/Dockerfile`. */
export function backendImage(source: Directory, platform?: Platform, buildArgs?: BuildArg[]): Container {
  return source.directory(BACKEND).dockerBuild({ ...(platform ? { platform } : {}), ...(buildArgs ? { buildArgs } : {}) })
}

/** Build the frontend image from `frontend/Dockerfile`. */
export function frontendImage(source: Directory, platform?: Platform, buildArgs?: BuildArg[]): Container {
  return source.directory(FRONTEND).dockerBuild({ ...(platform ? { platform } : {}), ...(buildArgs?.length ? { buildArgs } : {}) })
}

/** The console's build-time URLs (`with-frontend-urls`); unset or empty means the page's own origin. */
export interface FrontendUrls {
  /** VITE_API_URL, e.g. https://api.example.com. */
  readonly apiUrl?: string
  /** VITE_WS_URL, e.g. wss://api.example.com/ws. */
  readonly wsUrl?: string
}

/**
 * Return the frontend Dockerfile's build args for these URLs. An empty one is left out, so the Dockerfile's default
 * (same origin) applies; the Dockerfile checks the values and renders nginx's CSP connect-src from the same ones.
 */
export function frontendUrlArgs(urls: FrontendUrls = {}): BuildArg[] {
  const args: [string, string | undefined][] = [["VITE_API_URL", urls.apiUrl], ["VITE_WS_URL", urls.wsUrl]]
  return args.flatMap(([name, value]) => (value ? [{ name, value }] : []))
}

/** Built images of both apps, one per platform, in the order of `platforms`. */
@object()
export class Build {
  /** Platforms that were built. */
  @func()
  platforms: string[]

  /** Backend image per platform. */
  @func()
  backend: Container[]

  /** Frontend image per platform. */
  @func()
  frontend: Container[]

  constructor(platforms: string[] = [], backend: Container[] = [], frontend: Container[] = []) {
    this.platforms = platforms
    this.backend = backend
    this.frontend = frontend
  }
}

/** Build both images for every platform, all at once, and return them once every build has finished. */
export async function buildAll(source: Directory, platforms: readonly string[], urls: FrontendUrls = {}): Promise<Build> {
  if (platforms.length === 0) throw new Error("build: give at least one platform, e.g. --platforms linux/amd64")
  const list = platforms.map((p) => p as Platform)
  const backend = list.map((p) => backendImage(source, p))
  const frontend = list.map((p) => frontendImage(source, p, frontendUrlArgs(urls)))
  await Promise.all([...backend, ...frontend].map((ctr) => ctr.sync()))
  return new Build([...platforms], backend, frontend)
}

/** What a release stamps into its images: Dockerfile build args and OCI labels per app. */
export interface ReleaseStamp {
  /** `1.2.3`, passed as the VERSION build arg. */
  readonly version: string
  /** Full commit, passed as the REVISION build arg. */
  readonly revision: string
  /** RFC 3339 time, passed as the CREATED build arg. */
  readonly created: string
  /** OCI labels per app, from the release plan. */
  readonly labels: Readonly<Record<App, Readonly<Record<string, string>>>>
}

/** Build one app for one platform with the release's build args (and the console's URLs), then set every planned OCI label. */
export function releaseImage(source: Directory, app: App, platform: string, stamp: ReleaseStamp, urls: FrontendUrls = {}): Container {
  const args: BuildArg[] = [
    { name: "VERSION", value: stamp.version },
    { name: "REVISION", value: stamp.revision },
    { name: "CREATED", value: stamp.created },
  ]
  const built = app === App.Backend
    ? backendImage(source, platform as Platform, args)
    : frontendImage(source, platform as Platform, [...args, ...frontendUrlArgs(urls)])
  return Object.entries(stamp.labels[app]).reduce((ctr, [name, value]) => ctr.withLabel(name, value), built)
}

/** Build every (app, platform) pair of a release, lazily; callers sync or scan them. */
export function releaseVariants(source: Directory, platforms: readonly string[], stamp: ReleaseStamp, urls: FrontendUrls = {}): Variant[] {
  if (platforms.length === 0) throw new Error("release: give at least one platform, e.g. --platforms linux/amd64")
  return [App.Backend, App.Frontend].flatMap((image) =>
    platforms.map((platform) => ({ image, platform, container: releaseImage(source, image, platform, stamp, urls) })),
  )
}

/** Build every (app, platform) pair from source without release stamps (for scan, sbom and smoke-images). */
export function sourceVariants(source: Directory, platforms: readonly string[], urls: FrontendUrls = {}): Variant[] {
  if (platforms.length === 0) throw new Error("give at least one platform, e.g. --platforms linux/amd64")
  return [App.Backend, App.Frontend].flatMap((image) =>
    platforms.map((platform) => {
      const container = image === App.Backend
        ? backendImage(source, platform as Platform)
        : frontendImage(source, platform as Platform, frontendUrlArgs(urls))
      return { image, platform, container }
    }),
  )
}
