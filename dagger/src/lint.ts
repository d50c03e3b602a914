/**
 * Workflow lint: actionlint (with its bundled shellcheck) over `.github/workflows`.
 */
import { Container, Directory, ReturnType } from "@dagger.io/dagger"

import { base } from "./images.js"

/** Run actionlint over the repository's GitHub workflows. */
export function actionlintRun(source: Directory): Container {
  return base("actionlint")
    .withDirectory("/repo/.github", source.directory(".github"))
    .withWorkdir("/repo")
    .withExec(["/usr/local/bin/actionlint", "-color=false"], { expect: ReturnType.Any })
}
