/**
 * The SLSA v1 provenance predicate of a released image: what was built (image, version, platforms, Dockerfile), from
 * which commit, on which digest-pinned base images, by which builder. Pure: no clock, no files, no environment.
 */
import type { Provenance, ResourceDescriptor } from "../../schemas/provenance.js";
import { parseImageName } from "./image.js";

export const PROVENANCE_BUILD_TYPE = "urn:helloagents:buildtype:dagger-release:v1";
export const DEFAULT_BUILDER_ID = "urn:helloagents:builder:dagger-engine";

/** A base image pinned as `repository:tag@sha256:<64 hex>`. */
export interface PinnedImage {
  /** `python`, `nginxinc/nginx-unprivileged`, `ghcr.io/sigstore/cosign/cosign`. */
  repository: string;
  /** The human-readable tag the digest was taken from; the purl version. */
  tag: string;
  /** `sha256:<64 hex>`, the bytes actually pulled. */
  digest: string;
}

export type PinnedImageParse = { ok: true; value: PinnedImage } | { ok: false; reason: string };

const PIN_HINT = "base images must be pinned by digest as repository:tag@sha256:<64 hex>, e.g. python:3.11.15-slim-bookworm@sha256:d29f…";
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Parse a base image reference; a tag-only, digest-less or tag-less reference is refused. */
export function parsePinnedImage(input: string): PinnedImageParse {
  const at = input.indexOf("@");
  if (at < 0) return { ok: false, reason: `base image '${input}' is not pinned: ${PIN_HINT}` };
  const reference = input.slice(0, at);
  const digest = input.slice(at + 1);
  if (!DIGEST.test(digest)) return { ok: false, reason: `base image '${input}' has no sha256:<64 hex> digest: ${PIN_HINT}` };
  const colon = reference.lastIndexOf(":");
  if (colon <= reference.lastIndexOf("/")) return { ok: false, reason: `base image '${input}' has no tag: ${PIN_HINT}` };
  const repository = reference.slice(0, colon);
  const tag = reference.slice(colon + 1);
  if (!TAG.test(tag)) return { ok: false, reason: `base image '${input}' has an invalid tag '${tag}': ${PIN_HINT}` };
  const name = parseImageName(repository);
  if (!name.ok || name.name !== repository) return { ok: false, reason: `base image '${input}': '${repository}' is not a valid lowercase repository name: ${PIN_HINT}` };
  return { ok: true, value: { repository, tag, digest } };
}

const isRegistryHost = (part: string): boolean => part.includes(".") || part.includes(":") || part === "localhost";
// purl percent-encoding, except the colon, which the purl standard (ECMA-427) says shall not be encoded; packageurl-js 2
// encodes it (`localhost%3A5000`), so the purl is written here. Validated references need no encoding at all.
const purlPart = (part: string): string => encodeURIComponent(part).replace(/%3A/gi, ":");

/**
 * The package URL of a Docker image (purl type `docker`): Docker Hub is the default registry, so `docker.io/` and the
 * `library/` namespace of official images are dropped; any other registry host becomes `repository_url`; the tag is the version.
 */
export function dockerPurl(image: Pick<PinnedImage, "repository" | "tag">): string {
  const parts = image.repository.split("/");
  let host = parts.length > 1 && isRegistryHost(parts[0] ?? "") ? parts.shift() : undefined;
  if (host === "docker.io") host = undefined;
  if (host === undefined && parts.length > 1 && parts[0] === "library") parts.shift();
  const qualifiers = host === undefined ? "" : `?repository_url=${purlPart(host)}`;
  return `pkg:docker/${parts.map(purlPart).join("/")}@${purlPart(image.tag)}${qualifiers}`;
}

export interface ProvenanceInput {
  /** Image repository without tag, lowercased. */
  image: string;
  /** Release version without `v`. */
  version: string;
  /** Full 40-hex commit sha. */
  revision: string;
  platforms: readonly string[];
  dockerfile: string;
  baseImages: readonly PinnedImage[];
  /** https URL of the source repository, when known. */
  repositoryUrl?: string | undefined;
  builderId: string;
  toolkitVersion: string;
  invocationId?: string | undefined;
  startedOn?: string | undefined;
  finishedOn: string;
}

const unique = <T>(items: readonly T[], key: (item: T) => string): T[] => [...new Map(items.map((item) => [key(item), item])).values()];

/** Build the predicate; duplicate platforms and base images are listed once, in first-seen order. */
export function buildProvenance(input: ProvenanceInput): Provenance {
  const revision = input.revision.toLowerCase();
  const repository = input.repositoryUrl;
  const source: ResourceDescriptor = repository === undefined ? { digest: { gitCommit: revision } } : { uri: `git+${repository}`, digest: { gitCommit: revision } };
  const bases = unique(input.baseImages, (b) => `${b.repository}:${b.tag}@${b.digest}`).map(
    (b): ResourceDescriptor => ({ uri: dockerPurl(b), digest: { sha256: b.digest.slice("sha256:".length) } }),
  );
  return {
    buildDefinition: {
      buildType: PROVENANCE_BUILD_TYPE,
      externalParameters: {
        image: input.image,
        version: input.version,
        platforms: unique(input.platforms, (p) => p),
        dockerfile: input.dockerfile,
        source: repository === undefined ? { revision } : { repository, revision },
      },
      internalParameters: { toolkit: `hello-ci ${input.toolkitVersion}` },
      resolvedDependencies: [source, ...bases],
    },
    runDetails: {
      builder: { id: input.builderId },
      metadata: {
        ...(input.invocationId === undefined ? {} : { invocationId: input.invocationId }),
        ...(input.startedOn === undefined ? {} : { startedOn: input.startedOn }),
        finishedOn: input.finishedOn,
      },
    },
  };
}
