/**
 * The hello-ci toolkit container: every decision (tags, scan gate, SBOM check, health, smoke) runs here.
 */
import { Container, Directory } from "@dagger.io/dagger"

import { base } from "./images.js"
import { npmManifests } from "./npm.js"
import { CI, TOOLKIT_DIR } from "./paths.js"

/** Command prefix that runs the CLI; the image has no entrypoint to hide it. */
export const HELLO_CI = ["node", `${TOOLKIT_DIR}/bin/hello-ci.js`] as const

/** What the runtime container keeps from the build: code, environments config, SBOM JSON schemas (read at run time), no sources, no dev dependencies. */
export const TOOLKIT_RUNTIME_PATHS = ["bin", "dist", "config", "json-schemas", "package.json"] as const

/** Compile ci/ with its dev dependencies (tsc) and return the build tree. */
export function toolkitBuild(source: Directory): Directory {
  return npmManifests(source, CI, TOOLKIT_DIR)
    .withExec(["npm", "ci", "--no-audit"])
    .withDirectory(TOOLKIT_DIR, source.directory(CI), { exclude: ["node_modules", "dist"] })
    .withExec(["npm", "run", "build"])
    .directory(TOOLKIT_DIR)
}

/** Install ci/'s production dependencies only; keyed on the lockfile alone. */
export function toolkitProdModules(source: Directory): Directory {
  return npmManifests(source, CI, TOOLKIT_DIR)
    .withExec(["npm", "ci", "--omit=dev", "--no-audit"])
    .directory(`${TOOLKIT_DIR}/node_modules`)
}

/**
 * Return the hello-ci runtime container: built dist, config and production node_modules, no entrypoint. `runtime` is
 * the pinned Node image unless a stage needs more under it (browser-check: Chromium), added before the toolkit so a
 * change in ci/ never reinstalls it.
 */
export function toolkit(source: Directory, runtime: Container = base("node")): Container {
  const built = toolkitBuild(source)
  let ctr = runtime.withEnvVariable("NO_COLOR", "1").withWorkdir(TOOLKIT_DIR)
  for (const path of TOOLKIT_RUNTIME_PATHS) {
    ctr = path === "package.json"
      ? ctr.withFile(`${TOOLKIT_DIR}/${path}`, built.file(path))
      : ctr.withDirectory(`${TOOLKIT_DIR}/${path}`, built.directory(path))
  }
  return ctr
    .withDirectory(`${TOOLKIT_DIR}/node_modules`, toolkitProdModules(source))
    .withEntrypoint([])
    .withWorkdir("/work")
}

/** Return the full `hello-ci …` command line for an exec. */
export function helloCi(...args: string[]): string[] {
  return [...HELLO_CI, ...args]
}
