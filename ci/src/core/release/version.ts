/**
 * Release versions, parsed the way docker/metadata-action's `type=semver` does (it uses the `semver` package too):
 * an optional leading `v`, then strict SemVer 2.0 MAJOR.MINOR.PATCH[-PRERELEASE].
 *
 * Build metadata (`+build.5`) is rejected: metadata-action's `{{version}}` silently drops it (`v1.2.3+build.5` would be
 * tagged `1.2.3`, `1.2`, `1`, `latest`, overwriting the plain release's tags), and `+` is not a tag character anyway.
 */
import semver from "semver";

export const VERSION_HINT = "expected vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v1.2.3 or v2.0.0-rc.1";

export interface ReleaseVersion {
  /** The input as given (`v1.2.3`). */
  raw: string;
  /** The version without `v` (`1.2.3`, `2.0.0-rc.1`). */
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

export type VersionParse = { ok: true; value: ReleaseVersion } | { ok: false; reason: string };

// Strict shape first: semver.valid alone trims whitespace and would accept "  v1.2.3".
const SHAPE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseReleaseVersion(input: string | undefined): VersionParse {
  if (input === undefined || input.length === 0) return { ok: false, reason: `missing version: ${VERSION_HINT}` };
  const parsed = SHAPE.test(input) ? semver.parse(input) : null;
  if (parsed === null) return { ok: false, reason: `'${input}' is not a release version: ${VERSION_HINT}` };
  if (parsed.build.length > 0) {
    return {
      ok: false,
      reason: `'${input}' carries build metadata (+${parsed.build.join(".")}), which no image tag can hold: ${VERSION_HINT}`,
    };
  }
  return {
    ok: true,
    value: {
      raw: input,
      version: parsed.version,
      major: parsed.major,
      minor: parsed.minor,
      patch: parsed.patch,
      prerelease: parsed.prerelease.map(String),
    },
  };
}
