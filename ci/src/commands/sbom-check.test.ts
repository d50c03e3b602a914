import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { sbomCheckResultSchema } from "../schemas/sbom-check.js";

const work = tempDir("sbom-check-");
const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/sbom/${name}`, import.meta.url));

async function run(args: string[]) {
  const io = memoryIo({ cwd: work });
  const code = await main(["node", "hello-ci", "sbom-check", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("hello-ci sbom-check", () => {
  it.each([
    ["npm-cyclonedx.json", "valid CycloneDX 1.7, 13 components"],
    ["fluentd-multiple-lockfiles.cdx.json", "valid CycloneDX 1.7, 161 components"],
    ["conda-spdx.json", "valid SPDX 2.3, 3 packages, 2 files"],
  ])("exits 0 on %s and prints format, version and count", async (name, line) => {
    const { code, stdout } = await run(["--sbom", fixture(name)]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${fixture(name)}: ${line}\n`);
  });

  it("prints the JSON result with --json", async () => {
    const { code, stdout } = await run(["--sbom", fixture("conda-spdx.json"), "--format", "spdx", "--json"]);
    expect(code).toBe(0);
    expect(sbomCheckResultSchema.parse(JSON.parse(stdout))).toMatchObject({ valid: true, format: "spdx", specVersion: "SPDX-2.3", components: 3 });
  });

  it("exits 1 with the first schema error on an invalid SBOM", async () => {
    const document = JSON.parse(readFileSync(fixture("npm-cyclonedx.json"), "utf8")) as { components: { type: string }[] };
    document.components[0]!.type = "gadget";
    writeFileSync(path.join(work, "bad.cdx.json"), JSON.stringify(document));
    const { code, stdout, stderr } = await run(["--sbom", "bad.cdx.json", "--json"]);
    expect(code).toBe(1);
    expect(sbomCheckResultSchema.parse(JSON.parse(stdout))).toMatchObject({ valid: false, error: expect.stringMatching(/^\/components\/0\/type: must be equal/) });
    expect(stderr).toMatch(/^hello-ci: sbom-check: bad.cdx.json is not valid CycloneDX 1.7: \/components\/0\/type: must be equal to one of the allowed values/);
  });

  it.each([
    ["a missing file", ["--sbom", "nope.json"], /sbom-check: --sbom: cannot read nope.json: no such file or directory/],
    ["no --sbom", [], /--sbom: missing/],
    ["a bad --format", ["--sbom", "x", "--format", "xml"], /--format: expected auto, cyclonedx or spdx/],
    ["a file that is not JSON", ["--sbom", "NOTJSON"], /SBOM notjson.txt is not JSON/],
    ["JSON that is no SBOM", ["--sbom", "OTHER"], /not a CycloneDX .* or SPDX .* JSON document/],
  ])("exits 2 on %s", async (_name, args, message) => {
    writeFileSync(path.join(work, "notjson.txt"), "<bom/>");
    writeFileSync(path.join(work, "other.json"), '{"hello": 1}');
    const { code, stderr } = await run(args.map((a) => (a === "NOTJSON" ? "notjson.txt" : a === "OTHER" ? "other.json" : a)));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
