// The dry run's read-back script (FETCH_MANIFEST), run for real with node against a loopback fake of a registry's
// manifest and blob endpoints that refuses, like distribution 2.8, a manifest whose media type the Accept header leaves
// out. The engine lab found the gap: a one-platform release pushes an image manifest, not an index, and the old script
// asked for index types only (HTTP 404 "OCI manifest found, but accept header does not support OCI manifests").
import { spawn } from "node:child_process"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { FETCH_MANIFEST, platformsOf } from "../../dagger/src/publish.ts"

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
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

/** Run the script as the dry run does (asynchronously: the server answers from this process). */
function read(repository: string, digest: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", FETCH_MANIFEST, `${base}/v2/${repository}/manifests/${digest}`, digest])
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()))
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()))
    child.on("close", (status) => ok({ status, stdout, stderr }))
  })
}

describe("dry-run read-back script against a loopback fake registry (distribution's Accept rule)", () => {
  it("reads a one-platform release (an image manifest) as an index of its config's platform", async () => {
    const run = await read("acme/one", d("a"))
    expect(run.stderr).toBe("")
    expect(platformsOf(run.stdout)).toEqual({ "linux/amd64": d("a") })
  })

  it("reads a multi-platform index with every platform's manifest digest", async () => {
    const run = await read("acme/two", d("b"))
    expect(platformsOf(run.stdout)).toEqual({ "linux/amd64": d("1"), "linux/arm64": d("2") })
  })

  it("exits 1 naming the URL and status when the digest is not there", async () => {
    const run = await read("acme/one", d("f"))
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(`GET ${base}/v2/acme/one/manifests/${d("f")}: HTTP 404`)
  })
})
