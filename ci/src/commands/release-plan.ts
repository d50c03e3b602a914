/** `hello-ci release-plan`: version, tags and OCI labels for a release, following docker/metadata-action. */
import { z } from "zod";
import { parseImageName } from "../core/release/image.js";
import { buildReleasePlan, metadataFromEnv } from "../core/release/plan.js";
import { invalidTags } from "../core/release/tags.js";
import type { ReleasePlan } from "../schemas/release-plan.js";
import { rfc3339Schema } from "../schemas/primitives.js";
import { commitShaOption, releaseVersionOption, spdxExpressionOption } from "../schemas/release-options.js";
import { defineCommand } from "./kit/define.js";
import { flag, flagsObject, repeatableFlag, switchFlag } from "./kit/flags.js";

const absoluteUrl = z.url({ error: "expected an absolute URL" }).optional();

const flags = {
  version: flag("<version>", "release version: vMAJOR.MINOR.PATCH[-PRERELEASE] (the leading v is optional)", releaseVersionOption),
  sha: flag("<sha>", "full 40-hex commit sha (org.opencontainers.image.revision, sha-<7> tag)", commitShaOption),
  image: repeatableFlag(
    "<name>",
    "image repository, repeatable (lowercased; title label = last path component)",
    z
      .array(z.string(), { error: "missing: give at least one --image, e.g. --image ghcr.io/acme/helloagents-backend" })
      .min(1)
      .transform((images, ctx) =>
        images.map((input) => {
          const parsed = parseImageName(input);
          if (parsed.ok) return { name: parsed.name, title: parsed.title };
          ctx.addIssue({ code: "custom", message: parsed.reason });
          return z.NEVER;
        }),
      ),
  ),
  created: flag("<time>", "RFC 3339 creation time (default: now)", rfc3339Schema.optional()),
  description: flag("<text>", "org.opencontainers.image.description", z.string().optional()),
  url: flag("<url>", "org.opencontainers.image.url (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY)", absoluteUrl),
  source: flag("<url>", "org.opencontainers.image.source (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY)", absoluteUrl),
  licenses: flag("<spdx>", "org.opencontainers.image.licenses, an SPDX expression", spdxExpressionOption.optional()),
  json: switchFlag("print the plan as JSON (schema hello-ci/release-plan@1)"),
};

export const releasePlanOptionsSchema = flagsObject(flags);
export type ReleasePlanOptions = z.infer<typeof releasePlanOptionsSchema>;

export function formatReleasePlan(plan: ReleasePlan): string {
  const lines = [`version ${plan.version}${plan.prerelease ? " (prerelease)" : ""}  revision ${plan.revision}`, `tags: ${plan.tags.join(" ")}`];
  for (const image of plan.images) {
    lines.push("", `${image.name}`);
    for (const reference of image.references) lines.push(`  ${reference}`);
    for (const [key, value] of Object.entries(image.labels)) lines.push(`  label ${key}=${value}`);
  }
  return lines.join("\n");
}

export const releasePlanCommand = defineCommand({
  name: "release-plan",
  description: "compute the version, tags and OCI labels of a release (docker/metadata-action rules)",
  flags,
  schema: releasePlanOptionsSchema,
  run(ctx, options) {
    const plan = buildReleasePlan({
      version: options.version,
      sha: options.sha,
      created: options.created ?? ctx.io.now().toISOString(),
      images: options.image,
      metadata: metadataFromEnv(options, ctx.io.env),
    });
    const bad = invalidTags(plan.tags);
    if (bad.length > 0) throw ctx.optionError("version", `tags ${bad.join(", ")} break the tag grammar [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}: shorten the prerelease`);
    ctx.io.out(options.json ? JSON.stringify(plan, null, 2) : formatReleasePlan(plan));
  },
});
