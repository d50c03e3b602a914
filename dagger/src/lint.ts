/**
 * Workflow lint: actionlint (with its bundled shellcheck) over `.github/workflows`.
 */
import { Container, Directory, ReturnType, dag } from "@dagger.io/dagger"

import { base } from "./images.js"

/** Run actionlint over the repository's GitHub workflows. */
export function actionlintRun(source: Directory): Container {
  return base("actionlint")
    .withDirectory("/repo/.github", source.directory(".github"))
    // actionlint finds the project (and .github/actionlint.yaml) by its .git; the module's source has none, and without
    // one actionlint exits 3 "no project was found" before linting anything.
    .withDirectory("/repo/.git", dag.directory())
    .withWorkdir("/repo")
    .withExec(["/usr/local/bin/actionlint", "-color=false"], { expect: ReturnType.Any })
}
