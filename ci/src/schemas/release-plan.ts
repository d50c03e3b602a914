/**
 * The JSON printed by `hello-ci release-plan --json`. The Dagger module reads it with this schema's shape:
 * keep it backwards compatible (add fields, never rename).
 */
import { z } from "zod";

export const ociLabelKeys = [
  "org.opencontainers.image.title",
  "org.opencontainers.image.description",
  "org.opencontainers.image.url",
  "org.opencontainers.image.source",
  "org.opencontainers.image.version",
  "org.opencontainers.image.created",
  "org.opencontainers.image.revision",
  "org.opencontainers.image.licenses",
] as const;

export const ociLabelsSchema = z.partialRecord(z.enum(ociLabelKeys), z.string());
export type OciLabels = z.infer<typeof ociLabelsSchema>;

export const imagePlanSchema = z.object({
  /** Lowercased repository, no tag: `ghcr.io/acme/helloagents-backend`. */
  name: z.string(),
  /** Last path component, used as `org.opencontainers.image.title`. */
  title: z.string(),
  /** `name:tag` for every tag, in tag order. */
  references: z.array(z.string()),
  /** OCI labels; also meant as manifest/index annotations. Labels with no known value are left out. */
  labels: ociLabelsSchema,
});
export type ImagePlan = z.infer<typeof imagePlanSchema>;

export const releasePlanSchema = z.object({
  schema: z.literal("hello-ci/release-plan@1"),
  /** The version as given (`v1.2.3`). */
  input: z.string(),
  /** The version without `v` (`1.2.3`), also `org.opencontainers.image.version`. */
  version: z.string(),
  major: z.number().int().nonnegative(),
  minor: z.number().int().nonnegative(),
  patch: z.number().int().nonnegative(),
  prerelease: z.boolean(),
  /** Full 40-hex commit, lowercased. */
  revision: z.string().regex(/^[0-9a-f]{40}$/),
  /** RFC 3339 creation time. */
  created: z.string(),
  /** Tags in order: version, major.minor, major, latest, sha-<7>. */
  tags: z.array(z.string()).min(1),
  latest: z.boolean(),
  /** One line per tag decision, in rule order. */
  reasons: z.array(z.string()),
  images: z.array(imagePlanSchema).min(1),
});
export type ReleasePlan = z.infer<typeof releasePlanSchema>;
