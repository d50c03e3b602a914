// hello-ci image-index, the built CLI against a loopback stand-in of a registry's manifest and blob endpoints that, like
// distribution 2.8, refuses (404) a manifest whose media type the Accept header leaves out. The engine lab found why
// it matters: a one-platform release pushes an image manifest, not an index.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, runCli } from "../support/cli.js";

const INDEX = "application/vnd.oci.image.index.v1+json";
const MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const d = (c: string) => `sha256:${c.repeat(64)}`;

/** path → [media type, body] */
const objects: Record<string, [string, unknown]> = {
  [`/v2/acme/one/manifests/${d("a")}`]: [MANIFEST, { schemaVersion: 2, mediaType: MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d("c"), size: 2 }, layers: [] }],
  [`/v2/acme/one/blobs/${d("c")}`]: ["application/octet-stream", { architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }],
  [`/v2/acme/two/manifests/${d("b")}`]: [INDEX, {
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: [
      { mediaType: MANIFEST, digest: d("1"), size: 1, platform: { os: "linux", architecture: "amd64" } },
      { mediaType: MANIFEST, digest: d("2"), size: 1, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
    ],
  }],
};

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const found = objects[req.url ?? ""];
    const accepted = String(req.headers.accept ?? "").split(",").map((t) => t.trim());
    if (!found || (req.url!.includes("/manifests/") && !accepted.includes(found[0]))) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    res.writeHead(200, { "content-type": found[0] }).end(JSON.stringify(found[1]));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const url = (repository: string, digest: string) => `${base}/v2/${repository}/manifests/${digest}`;

describe("hello-ci image-index against a loopback registry stand-in (distribution's Accept rule)", () => {
  it("reads a one-platform release (an image manifest) through its config blob", async () => {
    const run = await runCli(["image-index", "--url", url("acme/one", d("a")), "--platform", "linux/amd64", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run)).toEqual({ schema: "hello-ci/image-index@1", url: url("acme/one", d("a")), platforms: { "linux/amd64": d("a") }, missing: [] });
  });

  it("reads a multi-platform index with every platform's manifest digest (variants folded into os/arch)", async () => {
    const run = await runCli(["image-index", "--url", url("acme/two", d("b")), "--platform", "linux/amd64", "--platform", "linux/arm64", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run)).toMatchObject({ platforms: { "linux/amd64": d("1"), "linux/arm64": d("2") }, missing: [] });
  });

  it("fails (exit 1) naming the missing platform and what the index lists", async () => {
    const run = await runCli(["image-index", "--url", url("acme/one", d("a")), "--platform", "linux/amd64", "--platform", "linux/arm64", "--json"]);
    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ missing: ["linux/arm64"] });
    expect(run.stderr.trim()).toBe(`hello-ci: image-index: ${url("acme/one", d("a"))} lacks linux/arm64 (it lists linux/amd64)`);
  });

  it("fails (exit 1) naming the URL and status when the digest is not there", async () => {
    const run = await runCli(["image-index", "--url", url("acme/one", d("f")), "--platform", "linux/amd64"]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`hello-ci: image-index: ${url("acme/one", d("f"))}: HTTP 404`);
  });

  it("says nothing answered (exit 3) when the registry is not there", async () => {
    const run = await runCli(["image-index", "--url", `http://127.0.0.1:9/v2/acme/one/manifests/${d("a")}`, "--platform", "linux/amd64"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^hello-ci: image-index: http:\/\/127\.0\.0\.1:9\/v2\/acme\/one\/manifests\/sha256:a+: /);
  });
});
