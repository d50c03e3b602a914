import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import type { ReleaseRecord } from "../../schemas/release-record.js";
import { parseReleaseRecord, renderReleaseSummary, signerIdentityRegexp } from "./summary.js";

const FIXTURE = new URL("../../../test/fixtures/release/release.json", import.meta.url);
const fixtureText = readFileSync(FIXTURE, "utf8");
const record = (overrides: Partial<ReleaseRecord> = {}): ReleaseRecord => ({ ...parseReleaseRecord("release.json", fixtureText), ...overrides });

describe("parseReleaseRecord", () => {
  it("reads the record the release writes", () => {
    const r = parseReleaseRecord("release.json", fixtureText);
    expect(r.images.map((i) => i.platforms.length)).toEqual([2, 2]);
    expect(r.signing).toBe("keyless");
  });

  it("refuses text that is not JSON, naming the file (exit 2)", () => {
    const error = (() => {
      try {
        parseReleaseRecord("out/release.json", fixtureText.slice(0, 100));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^release record out\/release\.json is not JSON \(truncated or corrupt\?\)/);
  });

  it.each([
    ["another schema", { schema: "helloagents/release@2" }, /schema: Invalid input: expected "helloagents\/release@1"/],
    ["a short revision", { revision: "0123456" }, /revision: expected the full 40-hex commit sha/],
    ["a tag as digest", { images: [{ ...JSON.parse(fixtureText).images[0], digest: "latest" }] }, /images\.0\.digest: expected sha256:<64 hex>/],
    ["signed without a mode", { signed: true, signing: "none" }, /signing: signed is true but signing is none/],
    ["an http source", { source: "http://github.com/acme/helloagents" }, /source:/],
  ])("refuses %s, naming the field", (_name, change, message) => {
    const text = JSON.stringify({ ...JSON.parse(fixtureText), ...change });
    expect(() => parseReleaseRecord("release.json", text)).toThrow(message);
  });
});

describe("renderReleaseSummary", () => {
  it("lists every image with its index digest and tags, every platform, the gate and the smoke result", () => {
    const md = renderReleaseSummary(record());
    expect(md).toMatch(/^# Release 1\.2\.3\n/);
    expect(md).toContain(`| \`ghcr.io/acme/helloagents-backend\` | \`sha256:${"a".repeat(64)}\` | \`1.2.3\` \`1.2\` \`1\` \`latest\` \`sha-0123456\` | \`provenance/helloagents-backend.slsa.json\` |`);
    expect(md).toContain("| `ghcr.io/acme/helloagents-frontend` | linux/arm64 | not read back | `sbom/helloagents-frontend-linux-arm64.cdx.json` |");
    expect(md).toContain("Scan gate: **pass** (0 blocking; all findings: CRITICAL 0 · HIGH 0 · MEDIUM 3 · LOW 7 · UNKNOWN 0)");
    expect(md).toContain("Smoke: passed (see smoke.md).");
    expect(md).not.toContain("NOTHING WAS SIGNED");
  });

  it("gives keyless verify commands pinned to this repository's release workflow", () => {
    const md = renderReleaseSummary(record());
    const identity = "--certificate-identity-regexp '^https://github\\.com/acme/helloagents/\\.github/workflows/release\\.yml@refs/tags/v.*$'";
    expect(md).toContain(`cosign verify ${identity} --certificate-oidc-issuer https://token.actions.githubusercontent.com ghcr.io/acme/helloagents-backend@sha256:${"a".repeat(64)}`);
    expect(md).toContain(`cosign verify-attestation --type cyclonedx ${identity}`);
    expect(md).toContain(`cosign verify-attestation --type slsaprovenance1 ${identity} --certificate-oidc-issuer https://token.actions.githubusercontent.com ghcr.io/acme/helloagents-frontend@sha256:${"b".repeat(64)}`);
  });

  it("escapes the repository for the identity regexp and leaves a placeholder when the source is unknown", () => {
    expect(new RegExp(signerIdentityRegexp("https://github.com/a.b/c+d")).test("https://github.com/a.b/c+d/.github/workflows/release.yml@refs/tags/v1.0.0")).toBe(true);
    expect(new RegExp(signerIdentityRegexp("https://github.com/a.b/c+d")).test("https://github.com/aXb/c+d/.github/workflows/release.yml@refs/tags/v1.0.0")).toBe(false);
    expect(signerIdentityRegexp(undefined)).toBe("^https://github\\.com/<owner>/<repo>/\\.github/workflows/release\\.yml@refs/tags/v.*$");
  });

  it("offers no provenance check for an image without one", () => {
    const base = record();
    const md = renderReleaseSummary({ ...base, images: base.images.map(({ provenance: _, ...img }) => img) });
    expect(md).not.toContain("slsaprovenance1");
    expect(md).toContain(`| \`sha256:${"a".repeat(64)}\` | \`1.2.3\` \`1.2\` \`1\` \`latest\` \`sha-0123456\` | none |`);
  });

  it("gives key-based verify commands for a key-signed release", () => {
    const md = renderReleaseSummary(record({ signing: "key" }));
    expect(md).toContain(`cosign verify --key cosign.pub ghcr.io/acme/helloagents-frontend@sha256:${"b".repeat(64)}`);
    expect(md).not.toContain("certificate-identity");
  });

  it("says loudly that nothing was signed, and why, and offers no verify commands", () => {
    const unsigned = renderReleaseSummary(record({ signed: false, signing: "none" }));
    expect(unsigned).toContain("> **NOTHING WAS SIGNED OR ATTESTED** (no --cosign-key and no --oidc-request-url/--oidc-request-token were given)");
    expect(unsigned).not.toContain("cosign verify");
    const dry = renderReleaseSummary(record({ signed: false, signing: "none", dryRun: true }));
    expect(dry).toMatch(/^# Release 1\.2\.3 \(dry run: pushed to a throwaway registry only\)/);
    expect(dry).toContain("(this was a dry run)");
  });

  it("shows per-platform digests read back and why the smoke gate was skipped", () => {
    const base = record();
    const images = base.images.map((img) => ({ ...img, platforms: img.platforms.map((p) => ({ ...p, digest: `sha256:${"c".repeat(64)}` })) }));
    const md = renderReleaseSummary({ ...base, images, smoke: { status: "skipped", detail: "--skip-smoke" } });
    expect(md).toContain(`| \`ghcr.io/acme/helloagents-backend\` | linux/amd64 | \`sha256:${"c".repeat(64)}\` |`);
    expect(md).toContain("Smoke: skipped (--skip-smoke).");
  });
});
