/**
 * What a registry answers for a pushed digest (an OCI image index / Docker manifest list, or a single image manifest and
 * its config blob), read by `hello-ci image-index`, and the JSON it prints (schema hello-ci/image-index@1), which the
 * Dagger module's dry-run release reads.
 */
import { z } from "zod";

const platformSchema = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });

export const imageIndexSchema = z.object({
  manifests: z.array(z.object({ digest: z.string(), platform: platformSchema.optional() })),
});

export const imageManifestSchema = z.object({ config: z.object({ digest: z.string() }) });

export const imageConfigSchema = platformSchema;

export const imageIndexResultSchema = z.object({
  schema: z.literal("hello-ci/image-index@1"),
  url: z.string(),
  /** `os/arch` → manifest digest. */
  platforms: z.record(z.string(), z.string()),
  /** Requested platforms the digest does not cover. */
  missing: z.array(z.string()),
});
export type ImageIndexResult = z.infer<typeof imageIndexResultSchema>;
