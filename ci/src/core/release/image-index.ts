/**
 * The platforms a pushed digest covers: an index lists them; a single image manifest (what an engine pushes for one
 * platform) has its platform in its config blob. Pure: the command fetches, this decides.
 */
import { z } from "zod";
import { imageConfigSchema, imageIndexSchema, imageManifestSchema } from "../../schemas/image-index.js";

/** Accept header for a manifest of any kind: distribution refuses (404) a stored media type the header leaves out. */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export type ManifestKind = { kind: "index"; platforms: Record<string, string> } | { kind: "image"; configDigest: string } | { kind: "unknown" };

/** `os/arch` of a platform (the variant is left out: `linux/arm64/v8` is `linux/arm64`). */
export function platformKey(platform: string | { os: string; architecture: string }): string {
  return typeof platform === "string" ? platform.split("/").slice(0, 2).join("/") : `${platform.os}/${platform.architecture}`;
}

/** What a manifest body is: an index with its platforms, or an image manifest pointing at its config. */
export function readManifest(body: unknown): ManifestKind {
  const index = imageIndexSchema.safeParse(body);
  if (index.success) {
    const platforms: Record<string, string> = {};
    for (const m of index.data.manifests) if (m.platform) platforms[platformKey(m.platform)] = m.digest;
    return { kind: "index", platforms };
  }
  const image = imageManifestSchema.safeParse(body);
  return image.success ? { kind: "image", configDigest: image.data.config.digest } : { kind: "unknown" };
}

/** The one platform of an image manifest, from its config blob. */
export function configPlatform(body: unknown): string | undefined {
  const parsed = imageConfigSchema.safeParse(body);
  return parsed.success ? platformKey(parsed.data) : undefined;
}

/** Requested platforms not covered. */
export function missingPlatforms(found: Readonly<Record<string, string>>, wanted: readonly string[]): string[] {
  return wanted.filter((p) => !(platformKey(p) in found));
}

export type ImagePlatforms = z.infer<typeof imageIndexSchema>;
