import { PackageURL } from "packageurl-js";
import { describe, expect, it } from "vitest";
import { provenanceSchema, type Provenance } from "../../schemas/provenance.js";
import { buildProvenance, DEFAULT_BUILDER_ID, dockerPurl, parsePinnedImage, type PinnedImage, type ProvenanceInput } from "./provenance.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const PYTHON = "d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3";
const NGINX = "c97ff0bf7cbae369953c6da1232ec14ad9f971d66360c5698db0856a4cd657a0";
const COSIGN = "c77247c92f4dfea851c70555738226498393e34e2f9ca83cb959e51c230e4ad7";

const pin = (repository: string, tag: string, hex: string): PinnedImage => ({ repository, tag, digest: `sha256:${hex}` });

const typical: ProvenanceInput = {
  image: "ghcr.io/acme/helloagents-backend",
  version: "1.2.3",
  revision: SHA.toUpperCase(),
  platforms: ["linux/amd64", "linux/arm64"],
  dockerfile: "backend/Dockerfile",
  baseImages: [
    pin("python", "3.11.15-slim-bookworm", PYTHON),
    pin("nginxinc/nginx-unprivileged", "1.28.0-alpine", NGINX),
    pin("ghcr.io/sigstore/cosign/cosign", "v2.4.3", COSIGN),
  ],
  repositoryUrl: "https://github.com/acme/helloagents",
  builderId: DEFAULT_BUILDER_ID,
  toolkitVersion: "0.1.0",
  invocationId: "https://github.com/acme/helloagents/actions/runs/42",
  startedOn: "2026-01-31T11:58:00Z",
  finishedOn: "2026-01-31T12:00:00Z",
};

describe("buildProvenance", () => {
  it("writes the whole SLSA v1 predicate for a typical release, with a lowercased revision", () => {
    const expected: Provenance = {
      buildDefinition: {
        buildType: "urn:helloagents:buildtype:dagger-release:v1",
        externalParameters: {
          image: "ghcr.io/acme/helloagents-backend",
          version: "1.2.3",
          platforms: ["linux/amd64", "linux/arm64"],
          dockerfile: "backend/Dockerfile",
          source: { repository: "https://github.com/acme/helloagents", revision: SHA },
        },
        internalParameters: { toolkit: "hello-ci 0.1.0" },
        resolvedDependencies: [
          { uri: "git+https://github.com/acme/helloagents", digest: { gitCommit: SHA } },
          { uri: "pkg:docker/python@3.11.15-slim-bookworm", digest: { sha256: PYTHON } },
          { uri: "pkg:docker/nginxinc/nginx-unprivileged@1.28.0-alpine", digest: { sha256: NGINX } },
          { uri: "pkg:docker/sigstore/cosign/cosign@v2.4.3?repository_url=ghcr.io", digest: { sha256: COSIGN } },
        ],
      },
      runDetails: {
        builder: { id: "urn:helloagents:builder:dagger-engine" },
        metadata: { invocationId: "https://github.com/acme/helloagents/actions/runs/42", startedOn: "2026-01-31T11:58:00Z", finishedOn: "2026-01-31T12:00:00Z" },
      },
    };
    const predicate = buildProvenance(typical);
    expect(predicate).toEqual(expected);
    expect(provenanceSchema.parse(predicate)).toEqual(expected);
  });

  it("leaves out the repository, the git uri, the invocation id and the start time when they are not known", () => {
    const predicate = buildProvenance({ ...typical, repositoryUrl: undefined, invocationId: undefined, startedOn: undefined });
    expect(predicate.buildDefinition.externalParameters.source).toStrictEqual({ revision: SHA });
    expect(predicate.buildDefinition.resolvedDependencies[0]).toStrictEqual({ digest: { gitCommit: SHA } });
    expect(predicate.runDetails.metadata).toStrictEqual({ finishedOn: "2026-01-31T12:00:00Z" });
    expect(JSON.stringify(predicate)).not.toMatch(/repository"|invocationId|startedOn|git\+/);
    expect(provenanceSchema.safeParse(predicate).success).toBe(true);
  });

  it("lists a repeated platform or base image once, in first-seen order", () => {
    const predicate = buildProvenance({
      ...typical,
      platforms: ["linux/arm64", "linux/amd64", "linux/arm64"],
      baseImages: [typical.baseImages[1]!, typical.baseImages[0]!, typical.baseImages[1]!],
    });
    expect(predicate.buildDefinition.externalParameters.platforms).toEqual(["linux/arm64", "linux/amd64"]);
    expect(predicate.buildDefinition.resolvedDependencies.map((d) => d.uri)).toEqual([
      "git+https://github.com/acme/helloagents",
      "pkg:docker/nginxinc/nginx-unprivileged@1.28.0-alpine",
      "pkg:docker/python@3.11.15-slim-bookworm",
    ]);
  });
});

describe("dockerPurl", () => {
  it.each([
    ["a Docker Hub library image", "python", "3.11.15-slim-bookworm", "pkg:docker/python@3.11.15-slim-bookworm"],
    ["docker.io/library/x (Docker Hub is the default, library is implied)", "docker.io/library/redis", "7-alpine", "pkg:docker/redis@7-alpine"],
    ["library/x without a host", "library/postgres", "16-alpine", "pkg:docker/postgres@16-alpine"],
    ["a namespaced Docker Hub image", "nginxinc/nginx-unprivileged", "1.28.0-alpine", "pkg:docker/nginxinc/nginx-unprivileged@1.28.0-alpine"],
    ["docker.io/ns/x", "docker.io/rhysd/actionlint", "1.7.12", "pkg:docker/rhysd/actionlint@1.7.12"],
    ["a ghcr.io image (registry as repository_url)", "ghcr.io/sigstore/cosign/cosign", "v2.4.3", "pkg:docker/sigstore/cosign/cosign@v2.4.3?repository_url=ghcr.io"],
    ["localhost:5000/a/b (the colon is not percent-encoded)", "localhost:5000/a/b", "1.0", "pkg:docker/a/b@1.0?repository_url=localhost:5000"],
    ["a bare localhost registry", "localhost/app", "dev", "pkg:docker/app@dev?repository_url=localhost"],
  ])("%s", (_name, repository, tag, purl) => {
    expect(dockerPurl({ repository, tag })).toBe(purl);
  });

  it("writes purls that packageurl-js parses back to the same namespace, name, version and registry", () => {
    const parsed = PackageURL.fromString(dockerPurl({ repository: "localhost:5000/team/app", tag: "1.0" }));
    expect([parsed.type, parsed.namespace, parsed.name, parsed.version, parsed.qualifiers]).toEqual(["docker", "team", "app", "1.0", { repository_url: "localhost:5000" }]);
  });
});

describe("parsePinnedImage", () => {
  it.each([
    ["python:3.11.15-slim-bookworm", "python", "3.11.15-slim-bookworm"],
    ["ghcr.io/sigstore/cosign/cosign:v2.4.3", "ghcr.io/sigstore/cosign/cosign", "v2.4.3"],
    ["localhost:5000/a/b:1", "localhost:5000/a/b", "1"],
  ])("accepts %s@sha256:…", (reference, repository, tag) => {
    expect(parsePinnedImage(`${reference}@sha256:${PYTHON}`)).toEqual({ ok: true, value: { repository, tag, digest: `sha256:${PYTHON}` } });
  });

  it.each([
    ["a tag-only reference", "python:3.11", /is not pinned: base images must be pinned by digest/],
    ["a bare repository", "python", /is not pinned: base images must be pinned by digest/],
    ["a short digest", "python:3.11@sha256:abc", /has no sha256:<64 hex> digest/],
    ["another algorithm", `python:3.11@sha512:${PYTHON}${PYTHON}`, /has no sha256:<64 hex> digest/],
    ["a digest without a tag", `python@sha256:${PYTHON}`, /has no tag/],
    ["a registry port but no tag", `localhost:5000/a@sha256:${PYTHON}`, /has no tag/],
    ["an uppercase repository", `Python:3.11@sha256:${PYTHON}`, /not a valid lowercase repository name/],
  ])("refuses %s", (_name, input, reason) => {
    const parsed = parsePinnedImage(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe("provenanceSchema", () => {
  /** The typical predicate with the value at `path` replaced (or added). */
  function broken(path: readonly (string | number)[], value: unknown): unknown {
    const predicate = JSON.parse(JSON.stringify(buildProvenance(typical))) as Record<string | number, unknown>;
    let node = predicate;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = value;
    return predicate;
  }

  it.each([
    ["a buildType that is not a string", ["buildDefinition", "buildType"], 1, /buildDefinition\.buildType/],
    ["a dependency with neither uri nor digest", ["buildDefinition", "resolvedDependencies", 4], {}, /a resolved dependency needs a uri or a digest/],
    ["an uppercase digest", ["buildDefinition", "resolvedDependencies", 1, "digest", "sha256"], PYTHON.toUpperCase(), /expected lowercase hex/],
    ["a short sha256", ["buildDefinition", "resolvedDependencies", 1, "digest", "sha256"], "abc", /expected 64 hex characters for sha256/],
    ["an empty digest set", ["buildDefinition", "resolvedDependencies", 1, "digest"], {}, /expected at least one digest/],
    ["a short revision", ["buildDefinition", "externalParameters", "source", "revision"], "0123456", /source\.revision: expected the full 40-hex/],
    ["a time that is not RFC 3339", ["runDetails", "metadata", "finishedOn"], "yesterday", /finishedOn: expected an RFC 3339 time/],
    ["a start after the finish", ["runDetails", "metadata", "startedOn"], "2026-02-01T00:00:00Z", /startedOn: startedOn is after finishedOn/],
    ["an unknown field (a typo)", ["runDetails", "bulider"], { id: "x:y" }, /runDetails: Unrecognized key: "bulider"/],
    ["a builder id that is not a URI", ["runDetails", "builder", "id"], "dagger engine", /runDetails\.builder\.id: expected an absolute URI/],
    ["a platform that is not os/arch", ["buildDefinition", "externalParameters", "platforms"], ["amd64"], /platforms\.0: expected os\/arch/],
  ] as const)("rejects a predicate with %s", (_name, path, value, message) => {
    const result = provenanceSchema.safeParse(broken(path, value));
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")).toMatch(message);
  });

  it("accepts the typical predicate unchanged", () => {
    expect(provenanceSchema.safeParse(buildProvenance(typical)).success).toBe(true);
  });
});
