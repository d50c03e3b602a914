// Tier 4 for the dry run's read-back: the real hello-ci CLI (ci/, built) run with the argv the module builds
// (imageIndexArgs) against a loopback fake of a registry's manifest and blob endpoints that refuses, like distribution
// 2.8, a manifest whose media type the Accept header leaves out, and its JSON read by the module's parseImageIndex.
// The engine lab found the gap: a one-platform release pushes an image manifest, not an index, and the first read-back
// asked for index types only (HTTP 404 "OCI manifest found, but accept header does not support OCI manifests").
import { spawn, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { imageIndexArgs } from "../../dagger/src/publish.ts"
import { parseImageIndex } from "../../dagger/src/toolkit-json.ts"
import { toolkitMessage } from "../../dagger/src/toolkit-run.ts"
import { HELLO_CI } from "../../dagger/src/toolkit.ts"

const ci = join(import.meta.dirname, "../../ci")
const bin = join(ci, HELLO_CI[1].replace("/opt/hello-ci/", ""))
const INDEX = "application/vnd.oci.image.index.v1+json"
const MANIFEST = "application/vnd.oci.image.manifest.v1+json"
const d = (c: string) => `sha256:${c.repeat(64)}`

/** path → [media type, body] */
const objects: Record<string, [string, unknown]> = {
  [`/v2/acme/one/manifests/${d("a")}`]: [MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d("c"), size: 2 }, layers: [] }],
  [`/v2/acme/one/blobs/${d("c")}`]: ["application/octet-stream", { architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }],
  [`/v2/acme/two/manifests/${d("b")}`]: [INDEX, {
    schemaVersion: 2, mediaType: INDEX,
    manifests: [
      { mediaType: MANIFEST, digest: d("1"), size: 1, platform: { os: "linux", architecture: "amd64" } },
      { mediaType: MANIFEST, digest: d("2"), size: 1, platform: { os: "linux", architecture: "arm64" } },
    ],
  }],
}

let server: Server
let base = ""

beforeAll(async () => {
  server = createServer((req, res) => {
    const found = objects[req.url ?? ""]
    const accepted = String(req.headers.accept ?? "").split(",").map((t) => t.trim())
    if (!found || (req.url!.includes("/manifests/") && !accepted.includes(found[0]))) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
      return
    }
    res.writeHead(200, { "content-type": found[0] }).end(JSON.stringify(found[1]))
  })
  if (!existsSync(bin)) {
    const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: ci, encoding: "utf8" })
    expect(build.status, build.stderr).toBe(0)
  }
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 120_000)
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

/** Run hello-ci as the dry run does (asynchronously: the server answers from this process). */
function read(repository: string, digest: string, platforms: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
    const child = spawn(process.execPath, [bin, ...imageIndexArgs(`${base}/v2/${repository}/manifests/${digest}`, platforms)], { cwd: ci })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()))
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()))
    child.on("close", (status) => ok({ status, stdout, stderr }))
  })
}

describe("dry-run read-back: hello-ci image-index against a loopback fake registry (distribution's Accept rule; tier 4)", () => {
  it("reads a one-platform release (an image manifest) as an index of its config's platform", async () => {
    const run = await read("acme/one", d("a"), ["linux/amd64"])
    expect(run.status, run.stderr).toBe(0)
    expect(parseImageIndex(run.stdout).platforms).toEqual({ "linux/amd64": d("a") })
  })

  it("reads a multi-platform index with every platform's manifest digest", async () => {
    const run = await read("acme/two", d("b"), ["linux/amd64", "linux/arm64"])
    expect(run.status, run.stderr).toBe(0)
    expect(parseImageIndex(run.stdout).platforms).toEqual({ "linux/amd64": d("1"), "linux/arm64": d("2") })
  })

  it("exits 1 with one hello-ci line naming the missing platform", async () => {
    const run = await read("acme/one", d("a"), ["linux/amd64", "linux/arm64"])
    expect(run.status).toBe(1)
    expect(toolkitMessage(run.stderr)).toBe(`hello-ci: image-index: ${base}/v2/acme/one/manifests/${d("a")} lacks linux/arm64 (it lists linux/amd64)`)
  })

  it("exits 1 naming the URL and status when the digest is not there", async () => {
    const run = await read("acme/one", d("f"), ["linux/amd64"])
    expect(run.status).toBe(1)
    expect(toolkitMessage(run.stderr)).toBe(`hello-ci: image-index: ${base}/v2/acme/one/manifests/${d("f")}: HTTP 404`)
  })

  it("parseImageIndex refuses other JSON instead of guessing", () => {
    expect(() => parseImageIndex(JSON.stringify({ schema: "hello-ci/image-index@2", platforms: {} }))).toThrow(/unexpected JSON/)
    expect(() => parseImageIndex(JSON.stringify({ schema: "hello-ci/image-index@1", platforms: { "linux/amd64": 1 } }))).toThrow(/unexpected JSON/)
  })
})
