/** Where the repository's parts live in the source directory and inside containers. */

/** Backend folder in the repository. */
export const BACKEND = "backend"
/** Frontend folder in the repository. */
export const FRONTEND = "frontend"
/** Backend working directory inside containers. */
export const BACKEND_DIR = "/src/backend"
/** Frontend working directory inside containers. */
export const FRONTEND_DIR = "/src/frontend"
/** hello-ci toolkit folder in the repository. */
export const CI = "ci"
/** Where the built hello-ci toolkit lives inside its container. */
export const TOOLKIT_DIR = "/opt/hello-ci"
/** Scratch directory toolkit and scanner containers write their reports to. */
export const OUT_DIR = "/out"
/** Accepted risks for the source scan (Trivy YAML ignore format), in the repository. */
export const SOURCE_IGNOREFILE = "ci/config/trivyignore.yaml"
