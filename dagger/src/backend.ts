/**
 * Backend stage: a pinned Python container whose dependency layer depends on the requirements files only.
 */
import { Container, Directory, ReturnType } from "@dagger.io/dagger"

import { CACHE_PATHS, pipCache } from "./caches.js"
import { base } from "./images.js"
import { BACKEND, BACKEND_DIR } from "./paths.js"
import { DATABASE_URL, DB_ALIAS, REDIS_ALIAS, REDIS_URL, postgresService, redisService } from "./services.js"

/** Requirement files that define the dependency layer (dev includes `-r requirements.txt`). */
export const REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt"] as const

/** The backend's own test command, run from `backend/`. */
export const BACKEND_TEST_COMMAND = ["python", "-m", "pytest"]

/**
 * Install the backend's pinned, hash-checked dependencies. Only the requirement files are in the
 * container at this point, so editing the source keeps this layer cached.
 */
export function backendDeps(source: Directory): Container {
  let ctr = base("python")
    .withEnvVariable("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    .withEnvVariable("PYTHONDONTWRITEBYTECODE", "1")
    .withEnvVariable("PYTHONUNBUFFERED", "1")
    .withWorkdir(BACKEND_DIR)
  for (const file of REQUIREMENT_FILES) {
    ctr = ctr.withFile(`${BACKEND_DIR}/${file}`, source.file(`${BACKEND}/${file}`))
  }
  return ctr
    .withMountedCache(CACHE_PATHS.pip, pipCache())
    .withExec(["python", "-m", "pip", "install", "--require-hashes", "-r", "requirements-dev.txt"])
}

/** Add the backend source on top of the dependency layer. */
export function backendSource(source: Directory): Container {
  return backendDeps(source).withDirectory(BACKEND_DIR, source.directory(BACKEND))
}

/**
 * Run the backend test suite against throwaway PostgreSQL and Redis. The exec always completes so
 * `reports/junit.xml` and `reports/coverage.xml` can be read even when tests fail.
 */
export function backendTestRun(source: Directory): Container {
  return backendSource(source)
    .withServiceBinding(DB_ALIAS, postgresService())
    .withServiceBinding(REDIS_ALIAS, redisService())
    .withEnvVariable("TEST_DATABASE_URL", DATABASE_URL)
    .withEnvVariable("TEST_REDIS_URL", REDIS_URL)
    .withExec(BACKEND_TEST_COMMAND, { expect: ReturnType.Any })
}

/** Run `ruff check .` over the backend. */
export function ruffCheckRun(source: Directory): Container {
  return backendSource(source).withExec(["ruff", "check", "."], { expect: ReturnType.Any })
}

/** Run `ruff format --check .` over the backend. */
export function ruffFormatRun(source: Directory): Container {
  return backendSource(source).withExec(["ruff", "format", "--check", "."], { expect: ReturnType.Any })
}

/** Return the backend report files (JUnit and coverage XML). */
export function backendReports(run: Container): Directory {
  return run.directory(`${BACKEND_DIR}/reports`).filter({ include: ["junit.xml", "coverage.xml"] })
}
