/**
 * `hello-ci provenance`: write the SLSA v1 provenance predicate of a released image, for
 * `cosign attest --type slsaprovenance1` (cosign adds the statement whose subject is the image digest).
 */
import path from "node:path";
import { z } from "zod";
import { parseImageName } from "../core/release/image.js";
import { buildProvenance, DEFAULT_BUILDER_ID, parsePinnedImage, type PinnedImage } from "../core/release/provenance.js";
import { describeZodError } from "../errors.js";
import { PLATFORM, provenanceSchema, uriSchema } from "../schemas/provenance.js";
import { rfc3339Schema } from "../schemas/primitives.js";
import { commitShaOption, releaseVersionOption } from "../schemas/release-options.js";
import { toolkitVersion } from "../version.js";
import { defineCommand } from "./kit/define.js";
import { defaultedFlag, flag, flagsObject, repeatableFlag } from "./kit/flags.js";

const isRelativeInside = (file: string): boolean =>
  !path.posix.isAbsolute(file) && !path.win32.isAbsolute(file) && !file.split(/[\\/]/).includes("..");

const imageName = z
  .string({ error: "missing: give the image repository, e.g. --image ghcr.io/acme/helloagents-backend" })
  .transform((input, ctx) => {
    const parsed = parseImageName(input);
    if (parsed.ok) return parsed.name;
    ctx.addIssue({ code: "custom", message: parsed.reason });
    return z.NEVER;
  });

const platforms = z
  .array(z.string(), { error: "missing: give at least one --platform, e.g. --platform linux/amd64" })
  .min(1)
  .superRefine((list, ctx) => {
    const bad = list.find((p) => !PLATFORM.test(p));
    if (bad !== undefined) ctx.addIssue({ code: "custom", message: `'${bad}' is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8` });
  });

const dockerfile = z
  .string({ error: "missing: give the Dockerfile's path in the repository, e.g. --dockerfile backend/Dockerfile" })
  .refine((file) => file.trim().length > 0 && isRelativeInside(file), {
    error: (issue) => `'${String(issue.input)}' is not a path relative to the repository root, e.g. backend/Dockerfile`,
  });

const baseImages = z
  .array(z.string(), { error: "missing: give every base image pinned by digest, e.g. --base-image python:3.11.15-slim-bookworm@sha256:<64 hex>" })
  .min(1)
  .transform((refs, ctx): PinnedImage[] =>
    refs.map((ref) => {
      const parsed = parsePinnedImage(ref);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.reason });
      return z.NEVER;
    }),
  );

const repositoryUrl = z
  .url({ protocol: /^https$/, error: "expected an https:// URL, e.g. https://github.com/acme/helloagents" })
  .transform((url) => url.replace(/\/+$/, ""))
  .optional();

const flags = {
  image: flag("<name>", "image repository without tag, e.g. ghcr.io/acme/helloagents-backend (lowercased)", imageName),
  version: flag("<version>", "release version: vMAJOR.MINOR.PATCH[-PRERELEASE] (the leading v is optional)", releaseVersionOption),
  sha: flag("<sha>", "full 40-hex commit sha the image was built from", commitShaOption),
  platform: repeatableFlag("<platform>", "built platform os/arch[/variant], repeatable, at least one", platforms),
  dockerfile: flag("<path>", "Dockerfile path relative to the repository root, e.g. backend/Dockerfile", dockerfile),
  baseImage: repeatableFlag("<ref>", "base image pinned as repository:tag@sha256:<64 hex>, repeatable, at least one", baseImages),
  repositoryUrl: flag("<url>", "https URL of the source repository (source.repository and the git dependency)", repositoryUrl),
  builderId: defaultedFlag("<uri>", "URI of the builder", uriSchema, DEFAULT_BUILDER_ID),
  startedOn: flag("<time>", "RFC 3339 time the build started", rfc3339Schema.optional()),
  finishedOn: flag("<time>", "RFC 3339 time the build finished (default: now)", rfc3339Schema.optional()),
  invocationId: flag("<id>", "identifier of this run, e.g. the CI run URL", z.string().min(1, { error: "must not be empty" }).optional()),
  out: flag("<file>", "write the predicate here instead of standard output", z.string().min(1).optional()),
};

export const provenanceOptionsSchema = flagsObject(flags);
export type ProvenanceOptions = z.infer<typeof provenanceOptionsSchema>;

export const provenanceCommand = defineCommand({
  name: "provenance",
  description: "write the SLSA v1 provenance predicate of a released image (for cosign attest --type slsaprovenance1)",
  flags,
  schema: provenanceOptionsSchema,
  async run(ctx, options) {
    const finishedOn = options.finishedOn ?? ctx.io.now().toISOString();
    if (options.startedOn !== undefined && Date.parse(options.startedOn) > Date.parse(finishedOn)) {
      const finish = options.finishedOn === undefined ? `the finish time (now, ${finishedOn})` : `--finished-on ${finishedOn}`;
      throw ctx.optionError("startedOn", `${options.startedOn} is after ${finish}`);
    }
    const predicate = buildProvenance({
      image: options.image,
      version: options.version.version,
      revision: options.sha,
      platforms: options.platform,
      dockerfile: options.dockerfile,
      baseImages: options.baseImage,
      repositoryUrl: options.repositoryUrl,
      builderId: options.builderId,
      toolkitVersion,
      invocationId: options.invocationId,
      startedOn: options.startedOn,
      finishedOn,
    });
    // Our own output failing our own schema is a bug in hello-ci (exit 70), never invalid input: a plain Error.
    const checked = provenanceSchema.safeParse(predicate);
    if (!checked.success) throw new Error(describeZodError(checked.error, "provenance predicate fails its own schema"));
    const json = `${JSON.stringify(predicate, null, 2)}\n`;
    if (options.out) await ctx.writeFile("out", options.out, json);
    else ctx.io.out(json);
  },
});
