// Tier 3: what the backend stage asks the engine for (images, layers, caches, services, command).
import { describe, expect, it } from "vitest"

import { CACHE_NAMES, CACHE_PATHS } from "../../dagger/src/caches.ts"
import { imageRef } from "../../dagger/src/images.ts"
import {
  FILE_OPS,
  argChain,
  contentChain,
  chainRunning,
  envAt,
  execIndex,
  findOp,
  fromAddress,
  isSourcePath,
  oneLine,
  workdirAt,
} from "./support/chains.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()
const PYTEST = ["python", "-m", "pytest"]
const PIP_INSTALL = ["python", "-m", "pip", "install", "--require-hashes", "-r", "requirements-dev.txt"]

async function pytestChain(): Promise<Chain> {
  await h.run((m) => m.backendTest())
  return chainRunning(h.engine, PYTEST)
}

describe("backend stage (tier 3)", () => {
  it("runs exactly `python -m pytest` in backend/ on the pinned Python image", async () => {
    const chain = await pytestChain()
    expect(fromAddress(chain)).toBe(imageRef("python"))
    const exec = execIndex(chain, PYTEST)
    expect(workdirAt(chain, exec)).toBe("/src/backend")
    expect(chain[exec]!.args.expect).toBe("ANY") // reports survive a red run; the verdict reads exitCode
  })

  it("binds PostgreSQL 16 as `db` and Redis 7 as `redis`, started through their entrypoints, before pytest", async () => {
    const chain = await pytestChain()
    const exec = execIndex(chain, PYTEST)
    const db = findOp(chain, "withServiceBinding", (op) => op.args.alias === "db", exec)
    const redis = findOp(chain, "withServiceBinding", (op) => op.args.alias === "redis", exec)
    expect(db, oneLine(h.engine, chain)).toBeGreaterThanOrEqual(0)
    expect(redis, oneLine(h.engine, chain)).toBeGreaterThanOrEqual(0)

    const pg = argChain(h.engine, chain[db]!, "service")
    expect(fromAddress(pg)).toBe(imageRef("postgres"))
    expect(pg.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } })
    expect(envAt(pg)).toMatchObject({ POSTGRES_DB: "helloagents" })
    expect(envAt(pg).POSTGRES_PASSWORD).toBeTruthy()
    expect(findOp(pg, "withExposedPort", (op) => op.args.port === 5432)).toBeGreaterThanOrEqual(0)

    const rd = argChain(h.engine, chain[redis]!, "service")
    expect(fromAddress(rd)).toBe(imageRef("redis"))
    expect(rd.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } })
    expect(findOp(rd, "withExposedPort", (op) => op.args.port === 6379)).toBeGreaterThanOrEqual(0)
  })

  it("points the tests at the bound services through TEST_DATABASE_URL and TEST_REDIS_URL", async () => {
    const chain = await pytestChain()
    const env = envAt(chain, execIndex(chain, PYTEST))
    expect(env.TEST_DATABASE_URL).toMatch(/^postgresql:\/\/postgres:[^@]+@db:5432\/helloagents$/)
    expect(env.TEST_REDIS_URL).toBe("redis://redis:6379/0")
  })

  it("installs dependencies from the requirement files alone, before any other source arrives", async () => {
    const chain = await pytestChain()
    const install = execIndex(chain, PIP_INSTALL)
    const pytest = execIndex(chain, PYTEST)
    expect(install, oneLine(h.engine, chain)).toBeGreaterThanOrEqual(0)
    expect(install).toBeLessThan(pytest)
    const before = chain.slice(0, install).filter((op) => FILE_OPS.has(op.field))
    expect(before.map((op) => oneLine(h.engine, contentChain(h.engine, op)))).toEqual([
      '<arg>(name: "source") → file(path: "backend/requirements.txt")',
      '<arg>(name: "source") → file(path: "backend/requirements-dev.txt")',
    ])
  })

  it("adds the backend source only after the dependency layer", async () => {
    const chain = await pytestChain()
    const install = execIndex(chain, PIP_INSTALL)
    const copy = chain.findIndex(
      (op) => op.field === "withDirectory" && isSourcePath(contentChain(h.engine, op), "directory", "backend"),
    )
    expect(copy, oneLine(h.engine, chain)).toBeGreaterThan(install)
    expect(chain[copy]!.args.path).toBe("/src/backend")
  })

  it("mounts the pip cache volume for the install", async () => {
    const chain = await pytestChain()
    const install = execIndex(chain, PIP_INSTALL)
    const mount = findOp(chain, "withMountedCache", (op) => op.args.path === CACHE_PATHS.pip, install)
    expect(mount, oneLine(h.engine, chain)).toBeGreaterThanOrEqual(0)
    expect(argChain(h.engine, chain[mount]!, "cache")).toEqual([{ field: "cacheVolume", args: { key: CACHE_NAMES.pip } }])
  })

  it("names the failed dependency install and shows its output when pip install fails under the test stage", async () => {
    h.engine.failExec({ matches: (a) => a.join(" ") === PIP_INSTALL.join(" "), exitCode: 1, stderr: "ERROR: Could not find a version that satisfies the requirement alembic\n" })
    const alone = await h.run((m) => m.backendTest()).then(() => undefined, (e: unknown) => e as Error)
    expect(alone?.message).toBe(`backend-test failed: \`${PIP_INSTALL.join(" ")}\` exited 1`)
    const all = await h.run((m) => m.test()).then(() => undefined, (e: unknown) => e as Error)
    expect(all?.message).toContain(`| backend-test | FAILED | \`${PIP_INSTALL.join(" ")}\` exited 1 |`)
    expect(all?.message).toMatch(/### backend-test\nERROR: Could not find a version that satisfies the requirement alembic/)
  })

  it("fails backendTest with the pytest output when pytest exits non-zero", async () => {
    h.engine.failExec({ matches: (a) => a.join(" ") === PYTEST.join(" "), exitCode: 1, stdout: "FAILED tests/test_health.py::test_ready\n" })
    await expect(h.run((m) => m.backendTest())).rejects.toThrow(/backend-test failed \(exit 1\)/)
  })
})
