/**
 * Image tags following docker/metadata-action with
 * `type=semver,pattern={{version}}`, `{{major}}.{{minor}}`, `{{major}}`, `type=sha` and `latest=auto`.
 *
 * Rule order (a tested contract):
 * 1. `{{version}}` always: `1.2.3` or `2.0.0-rc.1`.
 * 2. A prerelease collapses every other semver pattern to the full version: no `2.0`, no `2`, no `latest`.
 * 3. `{{major}}.{{minor}}` for a release: `1.2` (also `0.4` for major zero).
 * 4. `{{major}}` for a release with major >= 1: `1`; major zero gets none (`0` would float across breaking changes).
 * 5. `latest` for every non-prerelease.
 * 6. `sha-<first 7 hex of the commit>` always.
 */
import type { ReleaseVersion } from "./version.js";

export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface TagPlan {
  tags: string[];
  reasons: string[];
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7).toLowerCase();
}

export function computeTags(version: ReleaseVersion, sha: string): TagPlan {
  const tags = [version.version];
  const reasons = [`${version.version}: {{version}}`];
  if (version.prerelease.length > 0) {
    reasons.push(`prerelease: no ${version.major}.${version.minor}, no ${version.major}, no latest (metadata-action collapses them to the full version)`);
  } else {
    tags.push(`${version.major}.${version.minor}`);
    reasons.push(`${version.major}.${version.minor}: {{major}}.{{minor}}`);
    if (version.major > 0) {
      tags.push(String(version.major));
      reasons.push(`${version.major}: {{major}}`);
    } else {
      reasons.push("major version zero: no bare '0' tag");
    }
    tags.push("latest");
    reasons.push("latest: a release, not a prerelease");
  }
  const shaTag = `sha-${shortSha(sha)}`;
  tags.push(shaTag);
  reasons.push(`${shaTag}: type=sha (7 characters)`);
  return { tags, reasons };
}

/** The tags that break the OCI tag grammar (none for a valid semver version; checked anyway as the last guard). */
export function invalidTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => !TAG_PATTERN.test(tag));
}
