/**
 * Frontend stage: a pinned Node container whose dependency layer depends on package.json and the lockfile only.
 */
import { Container, Directory, ReturnType } from "@dagger.io/dagger"

import { npmManifests } from "./npm.js"
import { FRONTEND, FRONTEND_DIR } from "./paths.js"

/** Install the frontend's locked dependencies with `npm ci`, before any source is copied in. */
export function frontendDeps(source: Directory): Container {
  return npmManifests(source, FRONTEND, FRONTEND_DIR).withExec(["npm", "ci", "--no-audit"])
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
