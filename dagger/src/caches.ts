/**
 * Cache volumes. Names carry the module name because volumes are shared by every module on an engine.
 */
import { dag, CacheVolume } from "@dagger.io/dagger"

/** Volume names, stable across releases so CI engines keep their caches. */
export const CACHE_NAMES = {
  pip: "helloagents:pip",
  npm: "helloagents:npm",
} as const

/** Where each tool keeps its download cache inside the containers. */
export const CACHE_PATHS = {
  pip: "/root/.cache/pip",
  npm: "/root/.npm",
} as const

/** Return the pip download cache. */
export function pipCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.pip)
}

/** Return the npm download cache. */
export function npmCache(): CacheVolume {
  return dag.cacheVolume(CACHE_NAMES.npm)
}
