/** The release plan: version, tags, references and OCI labels for every image. Pure. */
import type { OciLabels, ReleasePlan } from "../../schemas/release-plan.js";
import type { ReleaseVersion } from "./version.js";
import { computeTags } from "./tags.js";

export interface ReleaseMetadata {
  description?: string | undefined;
  url?: string | undefined;
  source?: string | undefined;
  licenses?: string | undefined;
}

export interface PlanInput {
  version: ReleaseVersion;
  sha: string;
  created: string;
  images: readonly { name: string; title: string }[];
  metadata: ReleaseMetadata;
}

/** `GITHUB_SERVER_URL`/`GITHUB_REPOSITORY` give url and source when the flags do not (metadata-action uses the repo URL for both). */
export function metadataFromEnv(flags: ReleaseMetadata, env: Readonly<Record<string, string | undefined>>): ReleaseMetadata {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
  const repoUrl = server && repository ? `${server.replace(/\/+$/, "")}/${repository}` : undefined;
  return {
    description: flags.description,
    url: flags.url ?? repoUrl,
    source: flags.source ?? repoUrl,
    licenses: flags.licenses,
  };
}

export function buildReleasePlan(input: PlanInput): ReleasePlan {
  const revision = input.sha.toLowerCase();
  const { tags, reasons } = computeTags(input.version, revision);
  const shared = {
    "org.opencontainers.image.description": input.metadata.description,
    "org.opencontainers.image.url": input.metadata.url,
    "org.opencontainers.image.source": input.metadata.source,
    "org.opencontainers.image.version": input.version.version,
    "org.opencontainers.image.created": input.created,
    "org.opencontainers.image.revision": revision,
    "org.opencontainers.image.licenses": input.metadata.licenses,
  };
  const images = input.images.map((image) => {
    const labels: OciLabels = {};
    for (const [key, value] of Object.entries({ "org.opencontainers.image.title": image.title, ...shared })) {
      if (value !== undefined && value !== "") labels[key as keyof OciLabels] = value;
    }
    return { name: image.name, title: image.title, references: tags.map((tag) => `${image.name}:${tag}`), labels };
  });
  return {
    schema: "hello-ci/release-plan@1",
    input: input.version.raw,
    version: input.version.version,
    major: input.version.major,
    minor: input.version.minor,
    patch: input.version.patch,
    prerelease: input.version.prerelease.length > 0,
    revision,
    created: input.created,
    tags,
    latest: tags.includes("latest"),
    reasons,
    images,
  };
}
