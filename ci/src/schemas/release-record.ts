/**
 * `release.json`, the machine-readable record of a release written by the Dagger module's `release` function and read
 * by `hello-ci release-summary`. Keep it backwards compatible: add fields, never rename.
 */
import { z } from "zod";

const digestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, { message: "expected sha256:<64 hex>" });

export const releasePlatformSchema = z.object({
  /** `os/arch[/variant]`, as built. */
  platform: z.string().min(1),
  /** Manifest digest of this platform inside the index; known when the index was read back (dry runs). */
  digest: digestSchema.nullable(),
  /** Report paths, relative to the release directory. */
  scan: z.object({ json: z.string(), sarif: z.string(), table: z.string() }),
  sbom: z.object({ cyclonedx: z.string(), spdx: z.string() }),
});

export const releaseImageSchema = z.object({
  /** Repository without tag: `ghcr.io/acme/helloagents-backend`. */
  name: z.string().min(1),
  /** Digest of the multi-platform index every tag points at. */
  digest: digestSchema,
  references: z.array(z.string()).min(1),
  /** SLSA v1 provenance predicate, relative to the release directory (attested with the SBOMs when signed). */
  provenance: z.string().optional(),
  platforms: z.array(releasePlatformSchema).min(1),
});

export const releaseRecordSchema = z
  .object({
    schema: z.literal("helloagents/release@1"),
    version: z.string().min(1),
    revision: z.string().regex(/^[0-9a-f]{40}$/, { message: "expected the full 40-hex commit sha" }),
    tags: z.array(z.string()).min(1),
    /** Source repository URL (`org.opencontainers.image.source`), when the plan knew it; pins the signer identity. */
    source: z.url({ protocol: /^https$/ }).optional(),
    dryRun: z.boolean(),
    images: z.array(releaseImageSchema).min(1),
    findings: z.object({
      decision: z.enum(["pass", "block"]),
      blocking: z.number().int().nonnegative(),
      counts: z.record(z.string(), z.number().int().nonnegative()),
    }),
    /** The smoke gate before publishing: `passed` (report in smoke.md) or `skipped` with the reason. */
    smoke: z.object({ status: z.enum(["passed", "skipped"]), detail: z.string() }),
    signed: z.boolean(),
    signing: z.enum(["keyless", "key", "none"]),
  })
  .refine((r) => !r.signed || r.signing !== "none", { message: "signed is true but signing is none", path: ["signing"] });

export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;
