/** Where the repository's parts live in the source directory and inside containers. */

/** Backend folder in the repository. */
export const BACKEND = "backend"
/** Frontend folder in the repository. */
export const FRONTEND = "frontend"
/** Backend working directory inside containers. */
export const BACKEND_DIR = "/src/backend"
/** Frontend working directory inside containers. */
export const FRONTEND_DIR = "/src/frontend"
