import { describe, expect, it } from "vitest";
import { parseReleaseVersion, VERSION_HINT } from "./version.js";

describe("parseReleaseVersion", () => {
  it.each([
    ["v1.2.3", "1.2.3", []],
    ["1.2.3", "1.2.3", []],
    ["v0.4.1", "0.4.1", []],
    ["v2.0.0-rc.1", "2.0.0-rc.1", ["rc", "1"]],
    ["v2.0.8-beta.67", "2.0.8-beta.67", ["beta", "67"]],
    ["v10.20.30-alpha-1.x", "10.20.30-alpha-1.x", ["alpha-1", "x"]],
  ])("accepts %s as %s (leading v optional, like metadata-action's semver.valid)", (input, version, prerelease) => {
    const parsed = parseReleaseVersion(input);
    expect(parsed).toMatchObject({ ok: true, value: { raw: input, version, prerelease } });
  });

  it.each([["1.2"], ["v1.2"], ["latest"], ["v1.2.3.4"], [""], ["V1.2.3"], ["v01.2.3"], [" v1.2.3"], ["v1.2.3-"], ["=1.2.3"], ["v1.2.3-01"]])(
    "rejects %j with the hint naming a valid version",
    (input) => {
      const parsed = parseReleaseVersion(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).toContain(VERSION_HINT);
        expect(parsed.reason).not.toContain("\n");
      }
    },
  );

  it("rejects a missing version with the hint", () => {
    expect(parseReleaseVersion(undefined)).toEqual({ ok: false, reason: `missing version: ${VERSION_HINT}` });
  });

  it("rejects build metadata, which metadata-action would silently drop (v1.2.3+build.5 would overwrite 1.2.3's tags)", () => {
    const parsed = parseReleaseVersion("v1.2.3+build.5");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/build metadata \(\+build\.5\)/);
  });
});
