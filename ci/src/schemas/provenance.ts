/**
 * The SLSA Provenance v1 predicate written by `hello-ci provenance` (https://slsa.dev/spec/v1.0/provenance), with the
 * external parameters of build type `urn:helloagents:buildtype:dagger-release:v1`. Only the predicate: cosign wraps it
 * in the in-toto statement whose subject is the image digest (`cosign attest --type slsaprovenance1`).
 * The objects are strict: this describes exactly what hello-ci writes, so a typo or a wrong shape fails.
 */
import { z } from "zod";
import { rfc3339Schema } from "./primitives.js";

/** An absolute URI (`urn:…`, `https://…`, `pkg:…`, `git+https://…`): SLSA's ResourceURI and TypeURI. */
export const uriSchema = z
  .string()
  .refine((value) => /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) && URL.canParse(value), {
    error: "expected an absolute URI, e.g. urn:helloagents:builder:dagger-engine or https://github.com/acme/helloagents",
  });

/** `os/arch[/variant]`, as the build platforms are named (`linux/amd64`, `linux/arm64/v8`). */
export const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** Hex lengths of the digest algorithms hello-ci writes; others must still be lowercase hex. */
const DIGEST_LENGTHS: Readonly<Record<string, readonly number[]>> = { sha256: [64], sha512: [128], sha1: [40], gitCommit: [40, 64] };

/** SLSA DigestSet: algorithm → lowercase hex, at least one entry. */
export const digestSetSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "expected a digest algorithm name" }), z.string().regex(/^[0-9a-f]+$/, { error: "expected lowercase hex" }))
  .superRefine((digests, ctx) => {
    if (Object.keys(digests).length === 0) ctx.addIssue({ code: "custom", message: "expected at least one digest" });
    for (const [algorithm, value] of Object.entries(digests)) {
      const lengths = DIGEST_LENGTHS[algorithm];
      if (lengths && !lengths.includes(value.length)) {
        ctx.addIssue({ code: "custom", path: [algorithm], message: `expected ${lengths.join(" or ")} hex characters for ${algorithm}, got ${value.length}` });
      }
    }
  });

/** SLSA ResourceDescriptor, reduced to what a resolved dependency needs here: a uri, a digest, or both. */
export const resourceDescriptorSchema = z
  .strictObject({ uri: uriSchema.optional(), digest: digestSetSchema.optional() })
  .refine((d) => d.uri !== undefined || d.digest !== undefined, { message: "a resolved dependency needs a uri or a digest" });

export const externalParametersSchema = z.strictObject({
  /** Image repository without tag: `ghcr.io/acme/helloagents-backend`. */
  image: z.string().min(1),
  /** Release version without `v`: `1.2.3`. */
  version: z.string().min(1),
  platforms: z.array(z.string().regex(PLATFORM, { error: "expected os/arch[/variant], e.g. linux/amd64" })).min(1),
  /** Dockerfile path relative to the repository root. */
  dockerfile: z.string().min(1),
  source: z.strictObject({
    repository: z.url({ protocol: /^https$/, error: "expected an https:// URL" }).optional(),
    revision: z.string().regex(/^[0-9a-f]{40}$/, { error: "expected the full 40-hex commit sha, lowercase" }),
  }),
});

export const provenanceSchema = z.strictObject({
  buildDefinition: z.strictObject({
    buildType: uriSchema,
    externalParameters: externalParametersSchema,
    internalParameters: z.strictObject({ toolkit: z.string().regex(/^hello-ci \S+$/, { error: "expected hello-ci <version>" }) }),
    resolvedDependencies: z.array(resourceDescriptorSchema).min(1),
  }),
  runDetails: z.strictObject({
    builder: z.strictObject({ id: uriSchema }),
    metadata: z
      .strictObject({
        invocationId: z.string().min(1).optional(),
        startedOn: rfc3339Schema.optional(),
        finishedOn: rfc3339Schema,
      })
      .refine((m) => m.startedOn === undefined || Date.parse(m.startedOn) <= Date.parse(m.finishedOn), {
        message: "startedOn is after finishedOn",
        path: ["startedOn"],
      }),
  }),
});

export type Provenance = z.infer<typeof provenanceSchema>;
export type ResourceDescriptor = z.infer<typeof resourceDescriptorSchema>;
