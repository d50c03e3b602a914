/**
 * Cache volumes. Names carry the module name because volumes are shared by every module on an engine.
 */
import { dag, CacheSharingMode, CacheVolume } from "@dagger.io/dagger"

/** Volume names, stable across releases so CI engines keep their caches. */
export const CACHE_NAMES = {
  pip: "helloagents:pip",
  npm: "helloagents:npm",
  trivyDb: "helloagents:trivy-db",
  aptArchives: "helloagents:apt-archives",
  aptLists: "helloagents:apt-lists",
} as const

/** Where each tool keeps its download cache inside the containers. */
export const CACHE_PATHS = {
  pip: "/root/.cache/pip",
  npm: "/root/.npm",
  trivyDb: "/cache/trivy",
  aptArchives: "/var/cache/apt/archives",
  aptLists: "/var/lib/apt/lists",
} as const

/** Return the pip download cache. */
export function pipCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.pip)
}

/** Return the npm download cache. */
export function npmCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.npm)
}

/** Return the Trivy vulnerability DB cache; mount it LOCKED so concurrent scans never update it at once. */
export function trivyDbCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.trivyDb)
}

/** Sharing mode for the Trivy DB mount (Dagger's own security toolchain does the same). */
export const TRIVY_DB_SHARING = CacheSharingMode.Locked

/** Return the apt download cache (.deb archives) for packages installed on a pinned Debian base. */
export function aptArchivesCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.aptArchives)
}

/** Return the apt package lists cache. */
export function aptListsCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.aptLists)
}

/** Sharing mode for the apt mounts: apt takes a lock on both directories, so two installs must not share them at once. */
export const APT_SHARING = CacheSharingMode.Locked
