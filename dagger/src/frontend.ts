/**
 * Frontend stage: a pinned Node container whose dependency layer depends on package.json and the lockfile only.
 */
import { Container, Directory, ReturnType } from "@dagger.io/dagger"

import { CACHE_PATHS, npmCache } from "./caches.js"
import { base } from "./images.js"
import { FRONTEND, FRONTEND_DIR } from "./paths.js"

/** Files that define the dependency layer. */
export const MANIFEST_FILES = ["package.json", "package-lock.json"] as const

/** Install the frontend's locked dependencies with `npm ci`, before any source is copied in. */
export function frontendDeps(source: Directory): Container {
  let ctr = base("node")
    .withEnvVariable("CI", "true")
    .withEnvVariable("NPM_CONFIG_UPDATE_NOTIFIER", "false")
    .withEnvVariable("NPM_CONFIG_FUND", "false")
    .withWorkdir(FRONTEND_DIR)
  for (const file of MANIFEST_FILES) {
    ctr = ctr.withFile(`${FRONTEND_DIR}/${file}`, source.file(`${FRONTEND}/${file}`))
  }
  return ctr
    .withMountedCache(CACHE_PATHS.npm, npmCache())
    .withExec(["npm", "ci", "--no-audit"])
}

/** Add the frontend source on top of the dependency layer. */
export function frontendSource(source: Directory): Container {
  return frontendDeps(source).withDirectory(FRONTEND_DIR, source.directory(FRONTEND))
}

/** Run one of the frontend's own npm scripts; the exec always completes so its files stay readable. */
export function npmRun(source: Directory, script: "lint" | "test" | "build"): Container {
  const args = script === "test" ? ["npm", "test"] : ["npm", "run", script]
  return frontendSource(source).withExec(args, { expect: ReturnType.Any })
}

/** Return the frontend report files: JUnit XML and the coverage reports. */
export function frontendReports(run: Container): Directory {
  return run
    .directory(FRONTEND_DIR)
    .filter({ include: ["reports/junit.xml", "coverage/cobertura-coverage.xml", "coverage/lcov.info"] })
}
