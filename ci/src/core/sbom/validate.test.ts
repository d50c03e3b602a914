import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { vendoredSpdxSchemas } from "../../json-schemas.js";
import { checkSbom, detectSbomFormat } from "./validate.js";

const dir = fileURLToPath(new URL("../../../test/fixtures/sbom/", import.meta.url));
const load = (name: string) => {
  const text = readFileSync(`${dir}${name}`, "utf8");
  return { text, document: JSON.parse(text) as Record<string, unknown> };
};
const check = (document: unknown, format: "auto" | "cyclonedx" | "spdx" = "auto") => checkSbom(document, JSON.stringify(document), format, vendoredSpdxSchemas);

describe("checkSbom on the real SBOMs (counts checked independently with python)", () => {
  it.each([
    ["npm-cyclonedx.json", "cyclonedx", "1.7", 13],
    ["fluentd-multiple-lockfiles.cdx.json", "cyclonedx", "1.7", 161],
    ["conda-spdx.json", "spdx", "SPDX-2.3", 3],
  ])("%s is a valid %s %s with %i components", async (name, format, specVersion, components) => {
    const { text, document } = load(name);
    expect(await checkSbom(document, text, "auto", vendoredSpdxSchemas)).toMatchObject({ outcome: "valid", format, specVersion, components });
  });

  it("accepts the OS package of a Trivy image SBOM: purpose OPERATING-SYSTEM, as the SPDX 2.3 spec spells it", async () => {
    const { document } = load("conda-spdx.json");
    (document.packages as Record<string, unknown>[])[0]!.primaryPackagePurpose = "OPERATING-SYSTEM";
    expect(await check(document, "spdx")).toMatchObject({ outcome: "valid", specVersion: "SPDX-2.3" });
    (document.packages as Record<string, unknown>[])[0]!.primaryPackagePurpose = "OPERATING SYSTEM";
    expect(await check(document, "spdx")).toMatchObject({ outcome: "invalid", error: expect.stringMatching(/^\/packages\/0\/primaryPackagePurpose: must be equal to one of the allowed values/) });
  });

  it("counts the SPDX files too", async () => {
    const { text, document } = load("conda-spdx.json");
    expect(await checkSbom(document, text, "spdx", vendoredSpdxSchemas)).toMatchObject({ files: 2 });
  });
});

describe("broken copies of the real SBOMs", () => {
  it.each([
    ["a component with an unknown type", "npm-cyclonedx.json", (d: Record<string, unknown>) => ((d.components as Record<string, unknown>[])[0]!.type = "gadget"), /^\/components\/0\/type: must be equal to one of the allowed values \(allowed: application/],
    ["a component without a name", "npm-cyclonedx.json", (d: Record<string, unknown>) => delete (d.components as Record<string, unknown>[])[2]!.name, /^\/components\/2: must have required property 'name'/],
    ["a bad serialNumber", "fluentd-multiple-lockfiles.cdx.json", (d: Record<string, unknown>) => (d.serialNumber = "not-a-uuid"), /^\/serialNumber: must match pattern/],
    ["an SPDX package without SPDXID", "conda-spdx.json", (d: Record<string, unknown>) => delete (d.packages as Record<string, unknown>[])[1]!.SPDXID, /^\/packages\/1: must have required property 'SPDXID'/],
    ["an SPDX document without creationInfo", "conda-spdx.json", (d: Record<string, unknown>) => delete d.creationInfo, /^\/: must have required property 'creationInfo'/],
    ["an SPDX checksum with an unknown algorithm", "conda-spdx.json", (d: Record<string, unknown>) => ((d.files as { checksums: { algorithm: string }[] }[])[0]!.checksums[0]!.algorithm = "CRC32"), /^\/files\/0\/checksums\/0\/algorithm: must be equal to one of the allowed values/],
  ])("reports %s as invalid with the path and message of the first error", async (_name, file, breakIt, message) => {
    const { document } = load(file);
    breakIt(document);
    const result = await check(document);
    expect(result.outcome).toBe("invalid");
    if (result.outcome === "invalid") expect(result.error).toMatch(message);
  });

  it("validates against the version the document declares (1.2 has no 'vulnerabilities')", async () => {
    const { document } = load("npm-cyclonedx.json");
    const result = await check({ ...document, $schema: undefined, specVersion: "1.2" });
    expect(result).toMatchObject({ outcome: "invalid", specVersion: "1.2" });
  });

  it("a forced format that does not fit the document is invalid, not unsupported", async () => {
    const { document } = load("conda-spdx.json");
    expect(await check(document, "cyclonedx")).toMatchObject({ outcome: "invalid", format: "cyclonedx" });
  });

  it.each([
    ["a JSON array", [], /not a CycloneDX .* or SPDX/],
    ["an unrelated object", { name: "x" }, /not a CycloneDX .* or SPDX/],
    ["CycloneDX 1.1 (XML only)", { bomFormat: "CycloneDX", specVersion: "1.1" }, /CycloneDX 1.1 has no JSON format/],
    ["CycloneDX 9.9", { bomFormat: "CycloneDX", specVersion: "9.9" }, /specVersion '9.9' is unknown/],
    ["SPDX 2.1", { spdxVersion: "SPDX-2.1" }, /SPDX-2.1 has no JSON schema here/],
  ])("calls %s unsupported (exit 2 in the CLI)", async (_name, document, reason) => {
    expect(await check(document)).toMatchObject({ outcome: "unsupported", reason: expect.stringMatching(reason) });
  });
});

describe("detectSbomFormat", () => {
  it.each([
    [{ bomFormat: "CycloneDX" }, "cyclonedx"],
    [{ spdxVersion: "SPDX-2.3" }, "spdx"],
    [{ spdxVersion: "2.3" }, undefined],
    [null, undefined],
    ["CycloneDX", undefined],
  ])("%j → %s", (document, format) => {
    expect(detectSbomFormat(document)).toBe(format);
  });
});
