/**
 * Dev stack: PostgreSQL, Redis, the backend and the frontend (nginx proxying `/api/`) as one Service.
 */
import { Directory, Service } from "@dagger.io/dagger"

import { backendImage, frontendImage } from "./build.js"
import { DATABASE_URL, DB_ALIAS, REDIS_ALIAS, REDIS_URL, postgresService, redisService } from "./services.js"

/** Alias the frontend's nginx reaches the backend at. */
export const BACKEND_ALIAS = "backend"
/** Port the backend listens on. */
export const BACKEND_PORT = 8000
/** Port the frontend's nginx listens on. */
export const FRONTEND_PORT = 8080

/** Start the backend image against throwaway PostgreSQL and Redis, migrating on start. */
export function backendService(source: Directory): Service {
  return backendImage(source)
    .withServiceBinding(DB_ALIAS, postgresService())
    .withServiceBinding(REDIS_ALIAS, redisService())
    .withEnvVariable("DATABASE_URL", DATABASE_URL)
    .withEnvVariable("REDIS_URL", REDIS_URL)
    .withEnvVariable("ENVIRONMENT", "development")
    .withEnvVariable("RUN_MIGRATIONS", "1")
    .withExposedPort(BACKEND_PORT)
    .asService({ useEntrypoint: true })
}

/** Return the frontend image as a service whose nginx proxies `/api/` to the backend service. */
export function devStack(source: Directory): Service {
  return frontendImage(source)
    .withServiceBinding(BACKEND_ALIAS, backendService(source))
    .withEnvVariable("BACKEND_UPSTREAM", `${BACKEND_ALIAS}:${BACKEND_PORT}`)
    .withExposedPort(FRONTEND_PORT)
    .asService({ useEntrypoint: true })
}
