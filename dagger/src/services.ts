/**
 * Sidecar services for tests and the dev stack: PostgreSQL and Redis, bound by alias.
 */
import { Service, dag } from "@dagger.io/dagger"

import { base } from "./images.js"

/** Alias the backend reaches PostgreSQL at. */
export const DB_ALIAS = "db"
/** Alias the backend reaches Redis at. */
export const REDIS_ALIAS = "redis"
/** Database created in the throwaway PostgreSQL. */
export const DB_NAME = "helloagents"
/**
 * Password of the throwaway PostgreSQL that lives only inside one engine session and is reachable
 * only by containers bound to it. It is a fixed test credential, not a secret: real credentials are
 * always `Secret` values and never appear in env vars, args or files.
 */
export const THROWAWAY_DB_PASSWORD = "postgres"
/** Connection string for the throwaway database. */
export const DATABASE_URL = `postgresql://postgres:${THROWAWAY_DB_PASSWORD}@${DB_ALIAS}:5432/${DB_NAME}`
/** Connection string for the throwaway Redis. */
export const REDIS_URL = `redis://${REDIS_ALIAS}:6379/0`

/** Start a throwaway PostgreSQL 16 through the image's own entrypoint (it initialises the cluster). */
export function postgresService(): Service {
  return base("postgres")
    .withEnvVariable("POSTGRES_PASSWORD", THROWAWAY_DB_PASSWORD)
    .withEnvVariable("POSTGRES_DB", DB_NAME)
    .withExposedPort(5432)
    .asService({ useEntrypoint: true })
}

/** Start a throwaway Redis 7 through the image's own entrypoint. */
export function redisService(): Service {
  return base("redis")
    .withExposedPort(6379)
    .asService({ useEntrypoint: true })
}

/** Port the throwaway registry listens on. */
export const REGISTRY_PORT = 5000
/** Host dry-run images are published to; a localhost registry is spoken to over plain HTTP by the engine. */
export const DRY_RUN_REGISTRY_HOST = "localhost"

/**
 * Start a throwaway OCI registry for `release --dry-run`. Its storage is a cache volume unique to the run
 * (`runId`), so the pushed images survive the service being restarted between the pushes and the check.
 */
export function registryService(runId: string): Service {
  return base("registry")
    .withMountedCache("/var/lib/registry", dag.cacheVolume(`helloagents:dry-run-registry-${runId}`))
    .withExposedPort(REGISTRY_PORT)
    .asService({ useEntrypoint: true })
}
