import { describe, expect, it } from "vitest";
import { computeTags, invalidTags, TAG_PATTERN } from "./tags.js";
import { parseReleaseVersion, type ReleaseVersion } from "./version.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

function version(input: string): ReleaseVersion {
  const parsed = parseReleaseVersion(input);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe("computeTags (docker/metadata-action semver + sha rules)", () => {
  it.each([
    ["v1.2.3", ["1.2.3", "1.2", "1", "latest", "sha-0123456"]],
    ["1.2.3", ["1.2.3", "1.2", "1", "latest", "sha-0123456"]],
    ["v0.4.1", ["0.4.1", "0.4", "latest", "sha-0123456"]],
    ["v0.0.1", ["0.0.1", "0.0", "latest", "sha-0123456"]],
    ["v2.0.8-beta.67", ["2.0.8-beta.67", "sha-0123456"]],
    ["v0.5.0-rc.1", ["0.5.0-rc.1", "sha-0123456"]],
    ["v12.0.0", ["12.0.0", "12.0", "12", "latest", "sha-0123456"]],
  ])("%s gives %j", (input, tags) => {
    expect(computeTags(version(input), SHA).tags).toEqual(tags);
  });

  it("explains every decision, including the missing latest of a prerelease", () => {
    const { reasons } = computeTags(version("v2.0.0-rc.1"), SHA);
    expect(reasons.join("\n")).toMatch(/prerelease: no 2\.0, no 2, no latest/);
  });

  it("explains why major zero has no bare major tag", () => {
    expect(computeTags(version("v0.4.1"), SHA).reasons).toContain("major version zero: no bare '0' tag");
  });

  it("lowercases the short sha", () => {
    expect(computeTags(version("v1.0.0"), SHA.toUpperCase()).tags.at(-1)).toBe("sha-0123456");
  });

  it("every produced tag matches the OCI tag grammar; a 129-character tag does not", () => {
    for (const input of ["v1.2.3", "v2.0.0-rc.1", "v0.1.0-alpha-1.x-y"]) {
      expect(invalidTags(computeTags(version(input), SHA).tags)).toEqual([]);
    }
    expect(TAG_PATTERN.test("a".repeat(128))).toBe(true);
    expect(invalidTags(["a".repeat(129), ".hidden", "ok"])).toEqual(["a".repeat(129), ".hidden"]);
  });
});
