// Tier 3: what `browser-check` asks the engine for: the pinned Node image with Chromium installed by apt (LOCKED cache
// volumes, CHROMIUM_PATH) under the toolkit, hello-ci browser-check against a URL or an environment, never a cached run;
// the report directory on a pass (or, with --allow-failure, on a failed check), and a failed call with the toolkit's line.
import type { Directory } from "@dagger.io/dagger"
import { describe, expect, it } from "vitest"

import { CACHE_NAMES, CACHE_PATHS } from "../../dagger/src/caches.ts"
import { imageRef } from "../../dagger/src/images.ts"
import { call } from "./support/call.ts"
import { argChain, envAt, execIndex, findOp, fromAddress } from "./support/chains.ts"
import type { Chain } from "./support/fake-engine.ts"
import { useFakeEngine } from "./support/module.ts"
import { lastExec } from "./support/release-fakes.ts"

const h = useFakeEngine()
const CLI = ["node", "/opt/hello-ci/bin/hello-ci.js"]
const checks = (): Chain[] => h.engine.chains().filter((c) => lastExec(c).slice(0, 3).join(" ") === `${CLI.join(" ")} browser-check`)
const APT_INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "chromium", "fonts-liberation"]
const FAIL_LINE = 'hello-ci: browser-check: fail: API health badge shows "fail", expected "pass"'

describe("browser-check (tier 3)", () => {
  it("installs Chromium with apt on the pinned Node image, under the toolkit, with LOCKED apt caches and CHROMIUM_PATH", async () => {
    await h.run(async (m) => (await call<Directory>(m, "browserCheck", { env: "staging" })).id())
    const chain = checks()[0]!
    expect(fromAddress(chain)).toBe(imageRef("node"))
    const install = execIndex(chain, APT_INSTALL)
    expect(install).toBeGreaterThan(execIndex(chain, ["apt-get", "update"]))
    expect(execIndex(chain, ["apt-get", "update"])).toBeGreaterThan(execIndex(chain, ["rm", "-f", "/etc/apt/apt.conf.d/docker-clean"]))
    for (const [path, key] of [[CACHE_PATHS.aptArchives, CACHE_NAMES.aptArchives], [CACHE_PATHS.aptLists, CACHE_NAMES.aptLists]] as const) {
      const mount = chain[findOp(chain, "withMountedCache", (op) => op.args.path === path, install)]!
      expect(mount.args.sharing, path).toBe("LOCKED")
      expect(argChain(h.engine, mount, "cache")).toEqual([{ field: "cacheVolume", args: { key } }])
      expect(findOp(chain, "withoutMount", (op) => op.args.path === path), `${path} unmounted again`).toBeGreaterThan(install)
    }
    // Chromium comes before the toolkit's files, so a change in ci/ never reinstalls it.
    const toolkitFiles = chain.findIndex((op) => op.field === "withDirectory" && String(op.args.path).startsWith("/opt/hello-ci"))
    expect(toolkitFiles).toBeGreaterThan(install)
    expect(envAt(chain).CHROMIUM_PATH).toBe("/usr/bin/chromium")
    expect(envAt(chain).CACHE_BUSTER).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it("checks an environment's urls.frontend, or a URL with a timeout, writing the report to /out/browser, never cached", async () => {
    const env = await h.run(async (m) => (await call<Directory>(m, "browserCheck", { env: "staging" })).id())
    expect(lastExec(checks()[0]!).slice(2)).toEqual(["browser-check", "--env", "staging", "--report", "/out/browser", "--json"])
    expect(checks()[0]!.at(-1)!.args).toMatchObject({ expect: "ANY" })
    expect(h.engine.resolve(env).at(-1)).toEqual({ field: "directory", args: { path: "/out/browser" } })
    await h.run(async (m) => (await call<Directory>(m, "browserCheck", { url: "https://staging.helloagents.example", timeout: "45s" })).id())
    expect(checks().map((c) => lastExec(c).slice(2, 7))).toContainEqual(["browser-check", "--url", "https://staging.helloagents.example", "--timeout", "45s"])
    await h.run(async (m) => (await call<Directory>(m, "browserCheck", { env: "production", expectVersion: "v1.2.3" })).id())
    expect(checks().map((c) => lastExec(c).slice(2))).toContainEqual(["browser-check", "--env", "production", "--expect-version", "v1.2.3", "--report", "/out/browser", "--json"])
  })

  it("fails the call on a failed check with the toolkit's line, and says how to get the report", async () => {
    h.engine.failExec({ matches: (a) => a[2] === "browser-check", exitCode: 1, stderr: `browser-check: loading https://staging.helloagents.example\n${FAIL_LINE}` })
    const error = await h.run((m) => call(m, "browserCheck", { env: "staging" })).then(() => undefined, (e: unknown) => e as Error)
    expect(error?.message).toMatch(new RegExp(`^browser-check failed \\(exit 1\\): ${FAIL_LINE.replace(/[()[\]]/g, "\\$&")}\\n`))
    expect(error?.message).toContain("--allow-failure")
  })

  it.each([1, 3])("returns the report of a failed check (exit %i) for export with --allow-failure", async (exitCode) => {
    h.engine.failExec({ matches: (a) => a[2] === "browser-check", exitCode, stderr: FAIL_LINE })
    const id = await h.run(async (m) => (await call<Directory>(m, "browserCheck", { env: "production", allowFailure: true })).id())
    expect(h.engine.resolve(id).at(-1)).toEqual({ field: "directory", args: { path: "/out/browser" } })
  })

  it("fails on invalid input (exit 2) even with --allow-failure: there is no report", async () => {
    h.engine.failExec({ matches: (a) => a[2] === "browser-check", exitCode: 2, stderr: "hello-ci: browser-check: --env: unknown environment \"qa\"" })
    await expect(h.run((m) => call(m, "browserCheck", { env: "qa", allowFailure: true }))).rejects.toThrow(/^browser-check failed \(exit 2\): hello-ci: browser-check: --env: unknown environment "qa"$/)
  })

  it("refuses neither or both of --url and --env before anything runs", async () => {
    await expect(h.run((m) => call(m, "browserCheck"))).rejects.toThrow(/either --url URL .* or --env NAME/)
    await expect(h.run((m) => call(m, "browserCheck", { url: "https://a.example", env: "staging" }))).rejects.toThrow(/either --url/)
    expect(checks()).toEqual([])
  })
})
