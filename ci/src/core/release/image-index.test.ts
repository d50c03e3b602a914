import { describe, expect, it } from "vitest";
import { configPlatform, missingPlatforms, platformKey, readManifest } from "./image-index.js";

describe("image index: what a pushed digest covers", () => {
  it.each([
    ["an index lists its platforms by os/arch", { manifests: [{ digest: "sha256:1", platform: { os: "linux", architecture: "arm64", variant: "v8" } }] }, { kind: "index", platforms: { "linux/arm64": "sha256:1" } }],
    ["an index entry without a platform (an attestation) is left out", { manifests: [{ digest: "sha256:9" }] }, { kind: "index", platforms: {} }],
    ["an image manifest points at its config", { config: { digest: "sha256:c" }, layers: [] }, { kind: "image", configDigest: "sha256:c" }],
    ["anything else is unknown", { errors: [] }, { kind: "unknown" }],
  ])("%s", (_name, body, expected) => {
    expect(readManifest(body)).toEqual(expected);
  });

  it("reads an image's one platform from its config, or nothing", () => {
    expect(configPlatform({ os: "linux", architecture: "amd64" })).toBe("linux/amd64");
    expect(configPlatform({ rootfs: {} })).toBeUndefined();
  });

  it("names requested platforms not covered, comparing os/arch only", () => {
    expect(missingPlatforms({ "linux/amd64": "sha256:1" }, ["linux/amd64", "linux/arm64/v8"])).toEqual(["linux/arm64/v8"]);
    expect(platformKey("linux/arm64/v8")).toBe("linux/arm64");
  });
});
