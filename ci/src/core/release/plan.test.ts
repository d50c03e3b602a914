import { describe, expect, it } from "vitest";
import { releasePlanSchema } from "../../schemas/release-plan.js";
import { buildReleasePlan, metadataFromEnv } from "./plan.js";
import { parseReleaseVersion, type ReleaseVersion } from "./version.js";

const SHA = "ABCDEF0123456789abcdef0123456789abcdef01";

function version(input: string): ReleaseVersion {
  const parsed = parseReleaseVersion(input);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe("buildReleasePlan", () => {
  const plan = buildReleasePlan({
    version: version("v1.2.3"),
    sha: SHA,
    created: "2026-01-31T12:00:00Z",
    images: [
      { name: "ghcr.io/acme/helloagents-backend", title: "helloagents-backend" },
      { name: "ghcr.io/acme/helloagents-frontend", title: "helloagents-frontend" },
    ],
    metadata: { description: "HelloAgents", url: "https://github.com/acme/helloagents", source: "https://github.com/acme/helloagents", licenses: "Apache-2.0" },
  });

  it("conforms to the published JSON schema", () => {
    expect(releasePlanSchema.parse(plan)).toEqual(plan);
  });

  it("gives every image a full reference per tag", () => {
    expect(plan.images[1]?.references).toEqual([
      "ghcr.io/acme/helloagents-frontend:1.2.3",
      "ghcr.io/acme/helloagents-frontend:1.2",
      "ghcr.io/acme/helloagents-frontend:1",
      "ghcr.io/acme/helloagents-frontend:latest",
      "ghcr.io/acme/helloagents-frontend:sha-abcdef0",
    ]);
  });

  it("sets the eight OCI labels, the title per image and the full lowercased revision", () => {
    expect(plan.images[0]?.labels).toEqual({
      "org.opencontainers.image.title": "helloagents-backend",
      "org.opencontainers.image.description": "HelloAgents",
      "org.opencontainers.image.url": "https://github.com/acme/helloagents",
      "org.opencontainers.image.source": "https://github.com/acme/helloagents",
      "org.opencontainers.image.version": "1.2.3",
      "org.opencontainers.image.created": "2026-01-31T12:00:00Z",
      "org.opencontainers.image.revision": SHA.toLowerCase(),
      "org.opencontainers.image.licenses": "Apache-2.0",
    });
    expect(plan.images[1]?.labels["org.opencontainers.image.title"]).toBe("helloagents-frontend");
  });

  it("leaves out labels that have no value rather than writing empty strings", () => {
    const bare = buildReleasePlan({ version: version("v2.0.0-rc.1"), sha: SHA, created: "2026-01-31T12:00:00Z", images: [{ name: "x", title: "x" }], metadata: {} });
    expect(Object.keys(bare.images[0]?.labels ?? {})).toEqual([
      "org.opencontainers.image.title",
      "org.opencontainers.image.version",
      "org.opencontainers.image.created",
      "org.opencontainers.image.revision",
    ]);
    expect(bare).toMatchObject({ prerelease: true, latest: false, tags: ["2.0.0-rc.1", "sha-abcdef0"] });
  });
});

describe("metadataFromEnv", () => {
  it("derives url and source from GITHUB_SERVER_URL and GITHUB_REPOSITORY", () => {
    expect(metadataFromEnv({}, { GITHUB_SERVER_URL: "https://github.com/", GITHUB_REPOSITORY: "acme/helloagents" })).toEqual({
      description: undefined,
      url: "https://github.com/acme/helloagents",
      source: "https://github.com/acme/helloagents",
      licenses: undefined,
    });
  });

  it("prefers flags over the environment", () => {
    expect(metadataFromEnv({ url: "https://example.com" }, { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "a/b" })).toMatchObject({
      url: "https://example.com",
      source: "https://github.com/a/b",
    });
  });

  it("sets nothing when the environment has only half of the repository URL", () => {
    expect(metadataFromEnv({}, { GITHUB_REPOSITORY: "a/b" })).toMatchObject({ url: undefined, source: undefined });
  });
});
