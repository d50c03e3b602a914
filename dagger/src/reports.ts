/**
 * Test reports: every JUnit and coverage file from one backend and one frontend test run.
 */
import { Directory, dag } from "@dagger.io/dagger"

import { backendReports, backendTestRun } from "./backend.js"
import { frontendReports, npmRun } from "./frontend.js"

/** Gather `backend/{junit,coverage}.xml` and `frontend/{reports,coverage}/…` into one directory. */
export function collectReports(source: Directory): Directory {
  return dag
    .directory()
    .withDirectory("backend", backendReports(backendTestRun(source)))
    .withDirectory("frontend", frontendReports(npmRun(source, "test")))
}
