/**
 * Ignore policy, with Trivy's semantics (pkg/result/ignore.go):
 * - an entry matches on its `id`; `paths` (doublestar globs) must match the result target or the package path when given;
 *   `purls` must match the finding's package URL when both exist (type, namespace, name; version, qualifiers and subpath
 *   only when the entry sets them);
 * - an entry whose `expired_at` lies before `now` no longer hides anything. Unlike Trivy, which drops it silently,
 *   the gate reports it so the summary can say which expired ignore let a finding through.
 * Parsing is pure (text in, policy out); the command reads the file.
 */
import { minimatch } from "minimatch";
import { PackageURL } from "packageurl-js";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../../errors.js";
import { describeZodError } from "../../errors.js";
import { trivyIgnoreFileSchema, type IgnoreEntry, type TrivyIgnoreFile } from "../../schemas/trivy-ignore.js";

export type FindingKind = "vulnerability" | "secret" | "misconfiguration" | "license";
const sectionOf = { vulnerability: "vulnerabilities", secret: "secrets", misconfiguration: "misconfigurations", license: "licenses" } as const;

export interface IgnorePolicy {
  file: string;
  entries: TrivyIgnoreFile;
}

export interface IgnoreSubject {
  kind: FindingKind;
  /** Every id the finding answers to (a misconfiguration has ID and AVDID). */
  ids: readonly string[];
  /** The result target and, for packages, the package path. */
  paths: readonly string[];
  purl?: string | undefined;
}

export type IgnoreMatch = { state: "active"; entry: IgnoreEntry } | { state: "expired"; entry: IgnoreEntry };

/** Parse an ignore file's text: YAML for `.yaml`/`.yml` (as Trivy decides by extension), otherwise the line format `ID [exp:YYYY-MM-DD]`. */
export function parseIgnoreFile(file: string, text: string): IgnorePolicy {
  if (/\.ya?ml$/i.test(file)) {
    let raw: unknown;
    try {
      raw = parseYaml(text);
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new UsageError(`ignore file ${file} is not valid YAML: ${message}`, { cause: error });
    }
    const parsed = trivyIgnoreFileSchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(describeZodError(parsed.error, `ignore file ${file}`), { suggestion: "see docs/release.md for the format" });
    for (const entry of Object.values(parsed.data).flat()) {
      for (const purl of entry.purls ?? []) {
        if (parsePurl(purl) === undefined) throw new UsageError(`ignore file ${file}: entry ${entry.id}: '${purl}' is not a package URL (pkg:type/namespace/name@version)`);
      }
    }
    return { file, entries: parsed.data };
  }
  const entries: IgnoreEntry[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const fields = line.trim().split(/\s+/);
    const id = fields[0];
    if (id === undefined || id === "" || id.startsWith("#")) continue;
    const exp = fields.find((field) => field.startsWith("exp:"))?.slice(4);
    if (exp !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(exp)) {
      throw new UsageError(`ignore file ${file}, line ${index + 1}: 'exp:${exp}' is not a date: use exp:YYYY-MM-DD`);
    }
    entries.push({ id, ...(exp ? { expired_at: new Date(`${exp}T00:00:00Z`) } : {}) });
  }
  // The plain format applies every id to every kind of finding, as Trivy does.
  return { file, entries: { vulnerabilities: entries, misconfigurations: entries, secrets: entries, licenses: entries } };
}

export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return entry.expired_at !== undefined && entry.expired_at.getTime() < now.getTime();
}

/** The first matching entry that is still active; otherwise the first matching expired one (so it can be reported). */
export function matchIgnore(policy: IgnorePolicy | undefined, subject: IgnoreSubject, now: Date): IgnoreMatch | undefined {
  if (policy === undefined) return undefined;
  let expired: IgnoreEntry | undefined;
  for (const entry of policy.entries[sectionOf[subject.kind]]) {
    if (!subject.ids.includes(entry.id)) continue;
    if (!matchPaths(entry.paths, subject.paths) || !matchPurls(entry.purls, subject.purl)) continue;
    if (!isExpired(entry, now)) return { state: "active", entry };
    expired ??= entry;
  }
  return expired ? { state: "expired", entry: expired } : undefined;
}

function matchPaths(patterns: readonly string[] | undefined, paths: readonly string[]): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  return paths.some((path) => path !== "" && patterns.some((pattern) => minimatch(path, pattern, { dot: true })));
}

function parsePurl(text: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(text);
  } catch {
    return undefined;
  }
}

function matchPurls(constraints: readonly string[] | undefined, target: string | undefined): boolean {
  if (constraints === undefined || constraints.length === 0 || target === undefined) return true;
  const pkg = parsePurl(target);
  if (pkg === undefined) return true;
  return constraints.some((text) => {
    const want = parsePurl(text);
    if (want === undefined) return false;
    if (want.type !== pkg.type || (want.namespace ?? "") !== (pkg.namespace ?? "") || want.name !== pkg.name) return false;
    if (want.version && want.version !== pkg.version) return false;
    if (want.subpath && want.subpath !== pkg.subpath) return false;
    const have = pkg.qualifiers ?? {};
    return Object.entries(want.qualifiers ?? {}).every(([key, value]) => have[key] === value);
  });
}
