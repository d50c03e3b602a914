/**
 * App stack: PostgreSQL, Redis, the backend and the frontend (nginx proxying `/api/`) as one Service,
 * from the images built from source (`dev`) or from release images (`smoke-images`).
 */
import { Container, Directory, Service } from "@dagger.io/dagger"

import { FrontendUrls, backendImage, frontendImage, frontendUrlArgs } from "./build.js"
import { DATABASE_URL, DB_ALIAS, REDIS_ALIAS, REDIS_URL, postgresService, redisService } from "./services.js"

/** Alias the frontend's nginx reaches the backend at. */
export const BACKEND_ALIAS = "backend"
/** Port the backend listens on. */
export const BACKEND_PORT = 8000
/** Port the frontend's nginx listens on. */
export const FRONTEND_PORT = 8080

/** Run a backend image against throwaway PostgreSQL and Redis, migrating on start. */
export function backendServiceOf(image: Container, environment: string): Service {
  return image
    .withServiceBinding(DB_ALIAS, postgresService())
    .withServiceBinding(REDIS_ALIAS, redisService())
    .withEnvVariable("DATABASE_URL", DATABASE_URL)
    .withEnvVariable("REDIS_URL", REDIS_URL)
    .withEnvVariable("ENVIRONMENT", environment)
    .withEnvVariable("RUN_MIGRATIONS", "1")
    .withExposedPort(BACKEND_PORT)
    .asService({ useEntrypoint: true })
}

/** Serve a frontend image whose nginx proxies `/api/` to the given backend image's service. */
export function stackOf(backend: Container, frontend: Container, environment: string): Service {
  return frontend
    .withServiceBinding(BACKEND_ALIAS, backendServiceOf(backend, environment))
    .withEnvVariable("BACKEND_UPSTREAM", `${BACKEND_ALIAS}:${BACKEND_PORT}`)
    .withExposedPort(FRONTEND_PORT)
    .asService({ useEntrypoint: true })
}

/** Return the stack built from source as a service on 8080, the console built with these URLs. */
export function devStack(source: Directory, urls: FrontendUrls = {}): Service {
  return stackOf(backendImage(source), frontendImage(source, undefined, frontendUrlArgs(urls)), "development")
}
