// Tier 3 + static: every image the module pulls is pinned by tag and digest, and named only in images.ts.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { IMAGES, imageRef, type ImageName } from "../../dagger/src/images.ts"
import { ReleaseStep } from "../../dagger/src/release-request.ts"
import { call } from "./support/call.ts"
import { allFromAddresses } from "./support/chains.ts"
import { useFakeEngine } from "./support/module.ts"
import { gitRefArg, installReleaseFakes, secret } from "./support/release-fakes.ts"

const h = useFakeEngine()
const SRC = join(import.meta.dirname, "../../dagger/src")
/** Pins the Dockerfiles pull, not the module; kept in the table so `pins` refreshes them. */
const DOCKERFILE_ONLY: readonly ImageName[] = ["nginx"]
const PINNED = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/

/** Run every function that pulls images (not `pins`, which looks tags up on purpose). */
async function everyImageUsed(): Promise<string[]> {
  const addresses = new Set<string>()
  const calls: Array<(m: import("../../dagger/src/index.ts").Helloagents) => Promise<unknown>> = [
    (m) => m.test(),
    (m) => m.lint(),
    (m) => m.testReports().sync(),
    (m) => m.build(),
    (m) => m.dev().id(),
    (m) => m.toolkit().id(),
    (m) => m.smokeImages(),
    // a key-signed release (trivy, cosign) and a dry run (the throwaway registry)
    (m) => call(m.withCosignKey(secret("k", "fake-key")), "release", { version: "v1.2.3", platforms: ["linux/amd64"], skip: [ReleaseStep.Tests], head: gitRefArg(h.engine) }),
    (m) => call(m, "release", { version: "v1.2.3", platforms: ["linux/amd64"], dryRun: true, skip: [ReleaseStep.Tests, ReleaseStep.Smoke], head: gitRefArg(h.engine) }),
  ]
  for (const call of calls) {
    h.engine.reset()
    installReleaseFakes(h.engine)
    await h.run(call)
    for (const a of allFromAddresses(h.engine)) addresses.add(a)
  }
  return [...addresses].sort()
}

describe("image pins", () => {
  it("pins every image the module pulls by tag and sha256 digest, from the images.ts table", async () => {
    const used = await everyImageUsed()
    expect(used.length).toBeGreaterThan(0)
    for (const address of used) {
      expect(address, address).toMatch(PINNED)
      expect(address).not.toMatch(/:latest@/)
    }
    // every pin is used, and nothing outside the table is; nginx is pulled by frontend/Dockerfile (test/repo/pins.test.ts)
    const table = (Object.keys(IMAGES) as ImageName[]).filter((name) => !DOCKERFILE_ONLY.includes(name)).map(imageRef).sort()
    expect(used).toEqual(table)
  })

  it("keeps a reviewable pin per image: exact digest, no floating `latest`, a version and a source", () => {
    for (const [name, pin] of Object.entries(IMAGES)) {
      expect(pin.digest, name).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(pin.tag, name).not.toBe("latest")
      expect(pin.version, name).not.toBe("")
      expect(pin.source, name).not.toBe("")
    }
  })

  it("names images only in dagger/src/images.ts (no `.from(` or digest anywhere else)", () => {
    for (const file of readdirSync(SRC).filter((f) => f.endsWith(".ts") && f !== "images.ts")) {
      const text = readFileSync(join(SRC, file), "utf8")
      expect(text, file).not.toMatch(/\.from\(/)
      expect(text, file).not.toMatch(/sha256:[0-9a-f]{8}/)
      expect(text, file).not.toMatch(/["'`](?:docker\.io\/)?[a-z0-9./-]+:[0-9][\w.-]*(?:-(?:slim|alpine)[\w.-]*)?["'`]/)
    }
  })
})

describe("pins (refresh)", () => {
  it("resolves each floating tag again and reports which digests moved", async () => {
    h.engine.onLeaf((chain, leaf) => {
      if (leaf.field !== "imageRef") return undefined
      const address = String(chain.find((op) => op.field === "from")?.args.address)
      const name = (Object.keys(IMAGES) as ImageName[]).find((n) => address === `${IMAGES[n].repository}:${IMAGES[n].tag}`)
      if (!name) throw new Error(`pins looked up an unexpected address ${address}`)
      const digest = name === "redis" ? `sha256:${"a".repeat(64)}` : IMAGES[name].digest
      return `docker.io/library/${address}@${digest}`
    })
    const report = await h.run((m) => m.pins())
    const lines = report.split("\n")
    expect(lines).toHaveLength(Object.keys(IMAGES).length)
    expect(lines.find((l) => l.startsWith("redis"))).toMatch(/moved\s+redis:7-alpine@sha256:a{64}$/)
    expect(lines.find((l) => l.startsWith("python"))).toContain("current")
  })
})
