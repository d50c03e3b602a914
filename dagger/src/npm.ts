/**
 * npm projects (frontend/, ci/): a Node container holding only a project's manifests, so the `npm ci` layer that
 * follows is keyed on the lockfile alone.
 */
import { Container, Directory } from "@dagger.io/dagger"

import { CACHE_PATHS, npmCache } from "./caches.js"
import { base } from "./images.js"

/** Files that define an npm project's dependency layer. */
export const NPM_MANIFESTS = ["package.json", "package-lock.json"] as const

/** Start a pinned Node container at `workdir` with only the manifests of `project` copied in and the npm cache mounted. */
export function npmManifests(source: Directory, project: string, workdir: string): Container {
  let ctr = base("node")
    .withEnvVariable("CI", "true")
    .withEnvVariable("NPM_CONFIG_UPDATE_NOTIFIER", "false")
    .withEnvVariable("NPM_CONFIG_FUND", "false")
    .withWorkdir(workdir)
  for (const file of NPM_MANIFESTS) {
    ctr = ctr.withFile(`${workdir}/${file}`, source.file(`${project}/${file}`))
  }
  return ctr.withMountedCache(CACHE_PATHS.npm, npmCache())
}
