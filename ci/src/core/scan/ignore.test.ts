import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { isExpired, matchIgnore, parseIgnoreFile, type IgnoreSubject } from "./ignore.js";

const now = new Date("2026-06-15T12:00:00Z");
const yaml = `
vulnerabilities:
  - id: CVE-2019-18224
    paths: ["testdata/**/debian-buster.tar.gz*"]
    statement: libidn2 is not reachable
    expired_at: 2026-12-31
  - id: CVE-2020-8165
    purls: ["pkg:gem/activesupport"]
  - id: CVE-2019-1551
    expired_at: 2026-01-01
    statement: waiting for the Debian fix
  - id: CVE-2019-1551
    purls: ["pkg:deb/debian/openssl@1.1.0k-1~deb9u1"]
    expired_at: 2026-07-01T00:00:00Z
secrets:
  - id: aws-access-key-id
    paths: ["deploy.sh"]
misconfigurations: []
`;

const vuln = (id: string, target: string, purl?: string, pkgPath = ""): IgnoreSubject => ({ kind: "vulnerability", ids: [id], paths: [target, pkgPath], purl });

describe("parseIgnoreFile", () => {
  it("reads .trivyignore.yaml with dates as midnight UTC and RFC 3339 times", () => {
    const policy = parseIgnoreFile(".trivyignore.yaml", yaml);
    expect(policy.entries.vulnerabilities.map((e) => e.expired_at?.toISOString())).toEqual([
      "2026-12-31T00:00:00.000Z",
      undefined,
      "2026-01-01T00:00:00.000Z",
      "2026-07-01T00:00:00.000Z",
    ]);
    expect(policy.entries.secrets).toHaveLength(1);
    expect(policy.entries.licenses).toEqual([]);
  });

  it("reads the plain .trivyignore format with exp: for every kind of finding", () => {
    const policy = parseIgnoreFile(".trivyignore", "# comment\nCVE-1 exp:2026-01-01\n\nmysecret\n");
    expect(policy.entries.vulnerabilities.map((e) => e.id)).toEqual(["CVE-1", "mysecret"]);
    expect(policy.entries.secrets).toBe(policy.entries.vulnerabilities);
  });

  it("accepts an empty YAML file", () => {
    expect(parseIgnoreFile("x.yml", "").entries.vulnerabilities).toEqual([]);
  });

  it.each([
    ["broken YAML", "vulnerabilities: [", /not valid YAML/],
    ["a misspelt key (would silently make an ignore permanent)", "vulnerabilities:\n  - id: CVE-1\n    expires_at: 2026-01-01\n", /Unrecognized key.*expires_at/],
    ["an entry without id", "vulnerabilities:\n  - statement: x\n", /id/],
    ["a date that is not a date", "vulnerabilities:\n  - id: CVE-1\n    expired_at: next week\n", /expired_at 'next week' is not a date/],
    ["a bad purl", "vulnerabilities:\n  - id: CVE-1\n    purls: ['not a purl']\n", /is not a package URL/],
    ["an unknown section", "vulns: []\n", /Unrecognized key/],
  ])("rejects %s with a usage error", (_name, text, message) => {
    expect(() => parseIgnoreFile(".trivyignore.yaml", text)).toThrow(UsageError);
    expect(() => parseIgnoreFile(".trivyignore.yaml", text)).toThrow(message);
  });

  it("rejects a bad exp: date in the plain format", () => {
    expect(() => parseIgnoreFile(".trivyignore", "CVE-1 exp:soon")).toThrow(/line 1: 'exp:soon' is not a date/);
  });
});

describe("matchIgnore", () => {
  const policy = parseIgnoreFile(".trivyignore.yaml", yaml);

  it("matches by id and a doublestar path glob on the target", () => {
    expect(matchIgnore(policy, vuln("CVE-2019-18224", "testdata/fixtures/images/debian-buster.tar.gz (debian 10.1)"), now)).toMatchObject({ state: "active" });
    expect(matchIgnore(policy, vuln("CVE-2019-18224", "testdata/fixtures/images/fluentd.tar.gz (debian 10.2)"), now)).toBeUndefined();
  });

  it("matches a purl without version against any version of the package", () => {
    expect(matchIgnore(policy, vuln("CVE-2020-8165", "Ruby", "pkg:gem/activesupport@6.0.2.1"), now)).toMatchObject({ state: "active" });
    expect(matchIgnore(policy, vuln("CVE-2020-8165", "Ruby", "pkg:gem/rails@6.0.2.1"), now)).toBeUndefined();
  });

  it("prefers an active entry over an expired one for the same id, and reports the expired one otherwise", () => {
    const openssl = vuln("CVE-2019-1551", "t", "pkg:deb/debian/openssl@1.1.0k-1~deb9u1?arch=amd64&distro=debian-9.9");
    const libssl = vuln("CVE-2019-1551", "t", "pkg:deb/debian/libssl1.1@1.1.0k-1~deb9u1?arch=amd64&distro=debian-9.9");
    expect(matchIgnore(policy, openssl, now)).toMatchObject({ state: "active", entry: { purls: ["pkg:deb/debian/openssl@1.1.0k-1~deb9u1"] } });
    expect(matchIgnore(policy, libssl, now)).toMatchObject({ state: "expired", entry: { statement: "waiting for the Debian fix" } });
    expect(matchIgnore(policy, openssl, new Date("2026-07-02T00:00:00Z"))).toMatchObject({ state: "expired" });
  });

  it("keeps an entry active up to and including its expiry instant (Trivy: expired when expired_at is before now)", () => {
    const entry = { id: "x", expired_at: new Date("2026-01-01T00:00:00Z") };
    expect(isExpired(entry, new Date("2026-01-01T00:00:00Z"))).toBe(false);
    expect(isExpired(entry, new Date("2026-01-01T00:00:00.001Z"))).toBe(true);
    expect(isExpired({ id: "x" }, now)).toBe(false);
  });

  it("keeps secrets apart from vulnerabilities", () => {
    expect(matchIgnore(policy, { kind: "secret", ids: ["aws-access-key-id"], paths: ["deploy.sh"] }, now)).toMatchObject({ state: "active" });
    expect(matchIgnore(policy, { kind: "vulnerability", ids: ["aws-access-key-id"], paths: ["deploy.sh"] }, now)).toBeUndefined();
  });

  it("matches nothing without a policy", () => {
    expect(matchIgnore(undefined, vuln("CVE-1", "t"), now)).toBeUndefined();
  });
});

describe("the repository's accepted risks (config/trivyignore.yaml, read by scan-source)", () => {
  const text = readFileSync(new URL("../../../config/trivyignore.yaml", import.meta.url), "utf8");
  const reasonedAndExpiring = (policy: ReturnType<typeof parseIgnoreFile>) =>
    Object.values(policy.entries).flat().map((e) => ({ id: e.id, reasoned: (e.statement ?? "").trim().length >= 10, expires: e.expired_at !== undefined }));

  it("parses, and every entry says why it is accepted and when the acceptance ends", () => {
    const entries = reasonedAndExpiring(parseIgnoreFile("config/trivyignore.yaml", text));
    expect(entries.filter((e) => !e.reasoned || !e.expires)).toEqual([]);
  });

  it("documents an example entry that parses and follows the same rule once uncommented", () => {
    const example = text.split("\n").filter((l) => /^# {0,3}(vulnerabilities:| {2})/.test(l)).map((l) => l.replace(/^# ?/, "")).join("\n");
    expect(reasonedAndExpiring(parseIgnoreFile("example.yaml", example))).toEqual([{ id: "CVE-2026-0001", reasoned: true, expires: true }]);
  });
});
