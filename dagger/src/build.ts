/**
 * Images: the apps' own Dockerfiles built per platform with `Directory.dockerBuild`, so `docker build` keeps working.
 */
import { Container, Directory, Platform, func, object } from "@dagger.io/dagger"

import { BACKEND, FRONTEND } from "./paths.js"

/** Platforms built by default. */
export const DEFAULT_PLATFORMS = ["linux/amd64", "linux/arm64"] as const

/** Build the backend image from `backend/Dockerfile`. */
export function backendImage(source: Directory, platform?: Platform): Container {
  return source.directory(BACKEND).dockerBuild(platform ? { platform } : {})
}

/** Build the frontend image from `frontend/Dockerfile`. */
export function frontendImage(source: Directory, platform?: Platform): Container {
  return source.directory(FRONTEND).dockerBuild(platform ? { platform } : {})
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
export async function buildAll(source: Directory, platforms: readonly string[]): Promise<Build> {
  if (platforms.length === 0) throw new Error("build: give at least one platform, e.g. --platforms linux/amd64")
  const list = platforms.map((p) => p as Platform)
  const backend = list.map((p) => backendImage(source, p))
  const frontend = list.map((p) => frontendImage(source, p))
  await Promise.all([...backend, ...frontend].map((ctr) => ctr.sync()))
  return new Build([...platforms], backend, frontend)
}
