/** Flags shared by the release commands (release-plan, provenance); one definition so their rules and hints cannot drift. */
import parseSpdxExpression from "spdx-expression-parse";
import { z } from "zod";
import { parseReleaseVersion, VERSION_HINT, type ReleaseVersion } from "../core/release/version.js";

export const SHA_HINT = "expected the full 40-hex commit sha, e.g. --sha $(git rev-parse HEAD)";

/** `--version`: vMAJOR.MINOR.PATCH[-PRERELEASE], parsed into a ReleaseVersion. */
export const releaseVersionOption = z.string({ error: `missing: ${VERSION_HINT}` }).transform((value, ctx): ReleaseVersion => {
  const parsed = parseReleaseVersion(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: "custom", message: parsed.reason });
  return z.NEVER;
});

/** `--sha`: the full 40-hex commit sha (either case; consumers lowercase it). */
export const commitShaOption = z.string({ error: `missing: ${SHA_HINT}` }).regex(/^[0-9a-fA-F]{40}$/, { error: SHA_HINT });

/** `--licenses`: an SPDX license expression (the OCI licenses label), checked against the SPDX license list. */
export const spdxExpressionOption = z.string().refine(
  (value) => {
    try {
      parseSpdxExpression(value);
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => `${JSON.stringify(issue.input)} is not an SPDX license expression (e.g. Apache-2.0, MIT OR Apache-2.0, LicenseRef-acme)` },
);
