/** `hello-ci release-plan`: version, tags and OCI labels for a release, following docker/metadata-action. */
import { Command } from "commander";
import { z } from "zod";
import { parseImageName } from "../core/release/image.js";
import { buildReleasePlan, metadataFromEnv } from "../core/release/plan.js";
import { invalidTags } from "../core/release/tags.js";
import { UsageError } from "../errors.js";
import type { Io } from "../io.js";
import type { ReleasePlan } from "../schemas/release-plan.js";
import { rfc3339Schema } from "../schemas/primitives.js";
import { commitShaOption, releaseVersionOption } from "../schemas/release-options.js";
import { collect, parseOptions } from "./parse-options.js";

export const releasePlanOptionsSchema = z.object({
  version: releaseVersionOption,
  sha: commitShaOption,
  image: z
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
  created: rfc3339Schema.optional(),
  description: z.string().optional(),
  url: z.url({ error: "expected an absolute URL" }).optional(),
  source: z.url({ error: "expected an absolute URL" }).optional(),
  licenses: z.string().optional(),
  json: z.boolean().default(false),
});
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

export function releasePlanCommand(io: Io): Command {
  return new Command("release-plan")
    .description("compute the version, tags and OCI labels of a release (docker/metadata-action rules)")
    .option("--version <version>", "release version: vMAJOR.MINOR.PATCH[-PRERELEASE] (the leading v is optional)")
    .option("--sha <sha>", "full 40-hex commit sha (org.opencontainers.image.revision, sha-<7> tag)")
    .option("--image <name>", "image repository, repeatable (lowercased; title label = last path component)", collect)
    .option("--created <time>", "RFC 3339 creation time (default: now)")
    .option("--description <text>", "org.opencontainers.image.description")
    .option("--url <url>", "org.opencontainers.image.url (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY)")
    .option("--source <url>", "org.opencontainers.image.source (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY)")
    .option("--licenses <spdx>", "org.opencontainers.image.licenses, an SPDX expression")
    .option("--json", "print the plan as JSON (schema hello-ci/release-plan@1)")
    .action((raw: Record<string, unknown>) => {
      const options = parseOptions(releasePlanOptionsSchema, raw, "release-plan");
      const plan = buildReleasePlan({
        version: options.version,
        sha: options.sha,
        created: options.created ?? io.now().toISOString(),
        images: options.image,
        metadata: metadataFromEnv(options, io.env),
      });
      const bad = invalidTags(plan.tags);
      if (bad.length > 0) throw new UsageError(`release-plan: tags ${bad.join(", ")} break the tag grammar [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}: shorten the prerelease`);
      io.out(options.json ? JSON.stringify(plan, null, 2) : formatReleasePlan(plan));
    });
}
