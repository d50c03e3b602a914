// Tier 3: images come from the apps' own Dockerfiles per platform; `dev` wires the whole stack.
import { describe, expect, it } from "vitest"

import { imageRef } from "../../dagger/src/images.ts"
import { argChain, envAt, findOp, fromAddress, isSourcePath, oneLine } from "./support/chains.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"

const h = useFakeEngine()

function dockerBuilds(): { app: string; platform: unknown }[] {
  const seen = new Map<string, { app: string; platform: unknown }>()
  for (const chain of h.engine.chains()) {
    const at = chain.findIndex((op) => op.field === "dockerBuild")
    if (at < 1) continue
    const app = String(chain[at - 1]!.args.path)
    const entry = { app, platform: chain[at]!.args.platform }
    seen.set(JSON.stringify(entry), entry)
  }
  return [...seen.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

describe("images and build (tier 3)", () => {
  it("builds backend/ and frontend/ with their own Dockerfiles via Directory.dockerBuild", async () => {
    await h.run(async (m) => {
      await m.backendImage().sync()
      await m.frontendImage().sync()
    })
    expect(dockerBuilds()).toEqual([
      { app: "backend", platform: undefined },
      { app: "frontend", platform: undefined },
    ])
    for (const chain of h.engine.chains().filter((c) => c.some((op) => op.field === "dockerBuild"))) {
      expect(chain[0]!.field).toBe("<arg>")
    }
  })

  it("passes --platform through to the build", async () => {
    await h.run((m) => m.backendImage("linux/arm64" as never).sync())
    expect(dockerBuilds()).toEqual([{ app: "backend", platform: "linux/arm64" }])
  })

  it("build asks for both apps on linux/amd64 and linux/arm64 by default and returns them per platform", async () => {
    const build = await h.run((m) => m.build())
    expect(dockerBuilds()).toEqual([
      { app: "backend", platform: "linux/amd64" },
      { app: "backend", platform: "linux/arm64" },
      { app: "frontend", platform: "linux/amd64" },
      { app: "frontend", platform: "linux/arm64" },
    ])
    expect(build.platforms).toEqual(["linux/amd64", "linux/arm64"])
    expect(build.backend).toHaveLength(2)
    expect(build.frontend).toHaveLength(2)
    expect(h.engine.requests.filter((r) => r.leaf.field === "sync")).toHaveLength(4)
  })

  it("build honours an explicit platform list", async () => {
    await h.run((m) => m.build(["linux/arm64"]))
    expect(dockerBuilds().map((b) => b.platform)).toEqual(["linux/arm64", "linux/arm64"])
  })
})

describe("dev (tier 3)", () => {
  async function devChain(): Promise<Chain> {
    const id = await h.run((m) => m.dev().id())
    return h.engine.resolve(id)
  }

  it("serves the frontend image on 8080, proxying /api/ to the backend bound as `backend`", async () => {
    const chain = await devChain()
    expect(chain.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } })
    expect(isSourcePath(chain.slice(0, 2), "directory", "frontend")).toBe(true)
    expect(envAt(chain).BACKEND_UPSTREAM).toBe("backend:8000")
    expect(findOp(chain, "withExposedPort", (op) => op.args.port === 8080)).toBeGreaterThanOrEqual(0)
    expect(findOp(chain, "withServiceBinding", (op) => op.args.alias === "backend")).toBeGreaterThanOrEqual(0)
  })

  it("runs the backend image against PostgreSQL (db) and Redis (redis), migrating on start", async () => {
    const chain = await devChain()
    const backend = argChain(h.engine, chain[findOp(chain, "withServiceBinding", (op) => op.args.alias === "backend")]!, "service")
    expect(isSourcePath(backend.slice(0, 2), "directory", "backend")).toBe(true)
    expect(backend.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } })
    expect(envAt(backend)).toMatchObject({
      DATABASE_URL: expect.stringMatching(/@db:5432\/helloagents$/),
      REDIS_URL: "redis://redis:6379/0",
      ENVIRONMENT: "development",
      RUN_MIGRATIONS: "1",
    })
    expect(findOp(backend, "withExposedPort", (op) => op.args.port === 8000)).toBeGreaterThanOrEqual(0)
    const db = argChain(h.engine, backend[findOp(backend, "withServiceBinding", (op) => op.args.alias === "db")]!, "service")
    const redis = argChain(h.engine, backend[findOp(backend, "withServiceBinding", (op) => op.args.alias === "redis")]!, "service")
    expect(fromAddress(db), oneLine(h.engine, backend)).toBe(imageRef("postgres"))
    expect(fromAddress(redis)).toBe(imageRef("redis"))
  })
})
