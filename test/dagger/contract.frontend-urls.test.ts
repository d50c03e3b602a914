// Tier 3: `with-frontend-urls` reaches every frontend image build as the Dockerfile's VITE_API_URL and VITE_WS_URL build
// args (frontend-image, build, dev, scan, sbom, smoke-images, release, release-dry-run), and nothing is passed without it.
import { describe, expect, it } from "vitest"

import type { Helloagents } from "../../dagger/src/index.ts"
import { ReleaseStep } from "../../dagger/src/release-request.ts"
import { call } from "./support/call.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"
import { gitRefArg, installReleaseFakes } from "./support/release-fakes.ts"

const h = useFakeEngine()
const API = "https://api.example.test"
const WS = "wss://ws.example.test/socket"
const URL_ARGS = ["VITE_API_URL", "VITE_WS_URL"]

type BuildArg = { name: string; value: string }

/** Every distinct dockerBuild of an app folder seen by the engine: its platform and build args. */
function dockerBuilds(app: "frontend" | "backend"): { platform: unknown; buildArgs: BuildArg[] }[] {
  const seen = new Map<string, { platform: unknown; buildArgs: BuildArg[] }>()
  const visit = (chain: Chain) => {
    chain.forEach((op, i) => {
      if (op.field !== "dockerBuild" || chain[i - 1]?.args.path !== app) return
      const entry = { platform: op.args.platform, buildArgs: (op.args.buildArgs as BuildArg[] | undefined) ?? [] }
      seen.set(JSON.stringify(entry), entry)
    })
  }
  for (const chain of h.engine.chains()) visit(chain)
  return [...seen.values()]
}

/** The VITE_* URL build args of every frontend build, one entry per distinct build. */
const urlArgs = () => dockerBuilds("frontend").map((b) => b.buildArgs.filter((a) => URL_ARGS.includes(a.name)))

const bothUrls = [{ name: "VITE_API_URL", value: API }, { name: "VITE_WS_URL", value: WS }]

/** Each function that builds the frontend image, run on a configured module. */
const builders: [string, (m: Helloagents) => Promise<unknown>][] = [
  ["frontend-image", (m) => m.frontendImage().sync()],
  ["build", (m) => m.build(["linux/amd64"])],
  ["dev", (m) => m.dev().id()],
  ["scan", async (m) => (await m.scan(["linux/amd64"])).id()],
  ["sbom", async (m) => (await m.sbom(["linux/amd64"])).id()],
  ["smoke-images", (m) => m.smokeImages("linux/amd64" as never)],
]

describe("with-frontend-urls (tier 3)", () => {
  it.each(builders)("%s passes VITE_API_URL and VITE_WS_URL to the frontend's dockerBuild when set", async (_name, run) => {
    installReleaseFakes(h.engine)
    await h.run((m) => run(m.withFrontendUrls(API, WS)))
    const builds = urlArgs()
    expect(builds.length).toBeGreaterThan(0)
    for (const args of builds) expect(args).toEqual(bothUrls)
    for (const backend of dockerBuilds("backend")) expect(backend.buildArgs.map((a) => a.name)).not.toContain("VITE_API_URL")
  })

  it.each(builders)("%s passes no URL build arg without it", async (_name, run) => {
    installReleaseFakes(h.engine)
    await h.run((m) => run(m))
    const builds = dockerBuilds("frontend")
    expect(builds.length).toBeGreaterThan(0)
    for (const build of builds) expect(build.buildArgs.map((a) => a.name)).toEqual([])
  })

  it("passes only the URL that is set; an empty one is left to the Dockerfile's default (same origin)", async () => {
    await h.run((m) => m.withFrontendUrls("", WS).frontendImage().sync())
    expect(urlArgs()).toEqual([[{ name: "VITE_WS_URL", value: WS }]])
  })

  it("a later with-frontend-urls replaces the earlier one", async () => {
    await h.run((m) => m.withFrontendUrls(API, WS).withFrontendUrls(API).frontendImage().sync())
    expect(urlArgs()).toEqual([[{ name: "VITE_API_URL", value: API }]])
  })

  it("release builds every frontend variant with the URLs next to the release stamp", async () => {
    installReleaseFakes(h.engine)
    await h.run(async (m) => {
      const args = { version: "v1.2.3", platforms: ["linux/amd64", "linux/arm64"], dryRun: true, skip: [ReleaseStep.Tests], head: gitRefArg(h.engine) }
      return (await call<{ id(): Promise<string> }>(m.withFrontendUrls(API, WS), "release", args)).id()
    })
    const builds = dockerBuilds("frontend")
    expect(builds.map((b) => b.platform).sort()).toEqual(["linux/amd64", "linux/arm64"])
    for (const build of builds) {
      expect(build.buildArgs.map((a) => a.name)).toEqual(["VERSION", "REVISION", "CREATED", ...URL_ARGS])
      expect(build.buildArgs.slice(3)).toEqual(bothUrls)
    }
    for (const backend of dockerBuilds("backend")) expect(backend.buildArgs.map((a) => a.name)).toEqual(["VERSION", "REVISION", "CREATED"])
  })

  it("release-dry-run builds the frontend variants with the URLs, and without them when unset", async () => {
    installReleaseFakes(h.engine)
    await h.run((m) => m.withFrontendUrls(API, WS).releaseDryRun(gitRefArg(h.engine)))
    for (const args of urlArgs()) expect(args).toEqual(bothUrls)
    h.engine.reset()
    installReleaseFakes(h.engine)
    await h.run((m) => m.releaseDryRun(gitRefArg(h.engine)))
    expect(urlArgs().flat()).toEqual([])
    expect(dockerBuilds("frontend")).toHaveLength(2)
  })
})
