/**
 * Tier 4: the real tools on this repository's real artifacts. Syft and Trivy produce SBOMs and reports from the
 * frontend lockfile, the backend requirements and virtualenv; the built hello-ci checks them (sbom-check, scan-gate).
 * cosign signs and verifies an SBOM offline, and attests the provenance predicate hello-ci writes. The tools are built
 * (cached) rather than skipped when missing.
 *
 * Trivy's vulnerability DB comes from ghcr.io, which is unreachable here. The vulnerability scans therefore use a DB
 * loaded from Trivy's own test advisories (see test/tools/trivy-fixture-db); a scan with no DB at all must fail loudly.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { provenanceSchema } from "../../src/schemas/provenance.js";
import { sbomCheckResultSchema } from "../../src/schemas/sbom-check.js";
import { scanVerdictSchema } from "../../src/schemas/scan-verdict.js";
import { trivyReportSchema } from "../../src/schemas/trivy-report.js";
import { runCliSync as runCli } from "../support/cli.js";
import { frontendProvenanceArgs, NGINX_PIN, NODE_PIN } from "../support/provenance.js";
import { tempDir } from "../support/temp.js";
import { buildTools, runTool, type Tools } from "../support/tools.js";

const repo = path.resolve(import.meta.dirname, "../../..");
const venv = process.env.HELLOAGENTS_VENV ?? path.join(repo, ".venv");
const work = tempDir("real-tools-");
let tools: Tools;

beforeAll(() => {
  tools = buildTools();
}, 90 * 60_000);

/** The versions a lockfile or requirements file pins, to compare with what the SBOM lists. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(repo, "frontend/package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in frontend/package-lock.json`);
  return version;
}
function pinnedVersion(name: string): string {
  const match = new RegExp(`^${name}==([^\\s;]+)`, "im").exec(readFileSync(path.join(repo, "backend/requirements.txt"), "utf8"));
  if (!match?.[1]) throw new Error(`${name} is not pinned in backend/requirements.txt`);
  return match[1];
}

function syft(source: string, name: string, extra: string[] = []): { cdx: string; spdx: string } {
  const cdx = path.join(work, `${name}.cdx.json`);
  const spdx = path.join(work, `${name}.spdx.json`);
  const run = runTool(tools.syft, ["scan", source, "-q", "-o", `cyclonedx-json=${cdx}`, "-o", `spdx-json=${spdx}`, ...extra]);
  expect(run.code, run.stderr).toBe(0);
  return { cdx, spdx };
}

function sbomCheck(file: string) {
  const run = runCli(["sbom-check", "--sbom", file, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return sbomCheckResultSchema.parse(JSON.parse(run.stdout));
}

const componentNames = (file: string): Map<string, string | undefined> => {
  const document = JSON.parse(readFileSync(file, "utf8")) as { components?: { name: string; version?: string }[] };
  return new Map((document.components ?? []).map((c) => [c.name.toLowerCase(), c.version]));
};

describe("syft SBOMs of this repository pass sbom-check", { timeout: 600_000 }, () => {
  it("frontend (lockfile, production dependencies): CycloneDX and SPDX, with react at the locked version", () => {
    const { cdx, spdx } = syft(`dir:${path.join(repo, "frontend")}`, "frontend", ["--exclude", "./node_modules/**", "--exclude", "./dist/**"]);
    expect(sbomCheck(cdx)).toMatchObject({ valid: true, format: "cyclonedx" });
    expect(sbomCheck(spdx)).toMatchObject({ valid: true, format: "spdx", specVersion: "SPDX-2.3" });
    expect(componentNames(cdx).get("react")).toBe(lockedVersion("react"));
    expect(componentNames(cdx).get("react-dom")).toBe(lockedVersion("react-dom"));
  });

  it("backend (requirements files): CycloneDX and SPDX, with fastapi at the pinned version", () => {
    const { cdx, spdx } = syft(`dir:${path.join(repo, "backend")}`, "backend");
    const cdxResult = sbomCheck(cdx);
    expect(cdxResult.components).toBeGreaterThan(10);
    expect(sbomCheck(spdx).valid).toBe(true);
    expect(componentNames(cdx).get("fastapi")).toBe(pinnedVersion("fastapi"));
  });

  it.skipIf(!existsSync(path.join(venv, "pyvenv.cfg")))("backend virtualenv (installed packages): CycloneDX and SPDX", () => {
    const { cdx, spdx } = syft(`dir:${venv}`, "venv");
    expect(sbomCheck(cdx).valid).toBe(true);
    expect(sbomCheck(spdx).components).toBeGreaterThan(10);
    expect(componentNames(cdx).get("fastapi")).toBe(pinnedVersion("fastapi"));
  });
});

describe("trivy reports of this repository go through scan-gate", { timeout: 600_000 }, () => {
  const trivy = (args: string[], cacheDir = path.join(work, "trivy-cache")) =>
    runTool(tools.trivy, ["--cache-dir", cacheDir, "--quiet", ...args, "--disable-telemetry", "--skip-version-check"]);

  function gate(report: string, extra: string[] = []) {
    const run = runCli(["scan-gate", "--report", report, "--json", ...extra]);
    expect(run.code, run.stderr).not.toBe(2);
    return { code: run.code, verdict: scanVerdictSchema.parse(JSON.parse(run.stdout)) };
  }

  it("secret and license scans of backend and frontend need no DB, parse as v2 reports and pass the gate", () => {
    for (const part of ["backend", "frontend"]) {
      const report = path.join(work, `trivy-${part}-secret.json`);
      const run = trivy(["fs", "--scanners", "secret,license", "--skip-dirs", "node_modules", "--format", "json", "--output", report, path.join(repo, part)]);
      expect(run.code, run.stderr).toBe(0);
      expect(trivyReportSchema.parse(JSON.parse(readFileSync(report, "utf8"))).SchemaVersion).toBe(2);
      expect(gate(report)).toMatchObject({ code: 0, verdict: { decision: "pass" } });
    }
  });

  it("a planted AWS access key is found by trivy and blocks the gate", () => {
    const dir = mkdtempSync(path.join(work, "leak-"));
    // Built at run time so this file itself holds no secret-shaped string.
    writeFileSync(path.join(dir, "deploy.sh"), `#!/bin/sh\nexport AWS_ACCESS_KEY_ID=${["AKIA", "Q3RZ", "T7WL", "KX2M", "P9VD"].join("")}\n`);
    const report = path.join(work, "trivy-leak.json");
    expect(trivy(["fs", "--scanners", "secret", "--format", "json", "--output", report, dir]).code).toBe(0);
    const { code, verdict } = gate(report);
    expect(code).toBe(1);
    expect(verdict.blocking).toEqual([expect.objectContaining({ kind: "secret", id: "aws-access-key-id", severity: "CRITICAL", target: "deploy.sh" })]);
  });

  it("a vulnerability scan without a DB fails loudly instead of producing an empty (passing) report", () => {
    const run = trivy(["fs", "--scanners", "vuln", "--skip-db-update", "--format", "json", path.join(repo, "backend")], path.join(work, "empty-cache"));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--skip-db-update cannot be specified on the first run|DB not found|database/i);
  });

  it("with Trivy's fixture DB, scanning Trivy's own pip test repository reproduces its golden report, and the gate blocks", () => {
    const report = path.join(work, "trivy-pip.json");
    const run = trivy(["fs", "--scanners", "vuln", "--skip-db-update", "--offline-scan", "--format", "json", "--output", report, path.join(tools.trivyTestdata, "fixtures/repo/pip")], tools.trivyDb);
    expect(run.code, run.stderr).toBe(0);
    const golden = gate(path.join(import.meta.dirname, "../fixtures/trivy/pip.json"));
    const ours = gate(report);
    expect(ours.code).toBe(1);
    expect(ours.verdict.blocking.map((f) => [f.id, f.pkgName, f.installedVersion, f.fixedVersion])).toEqual(
      golden.verdict.blocking.map((f) => [f.id, f.pkgName, f.installedVersion, f.fixedVersion]),
    );
    expect(ours.verdict.counts).toEqual(golden.verdict.counts);
  });

  it("with the fixture DB, the backend and the frontend lockfile scan cleanly and the gate decides", () => {
    for (const part of ["backend", "frontend"]) {
      const report = path.join(work, `trivy-${part}-vuln.json`);
      const run = trivy(["fs", "--scanners", "vuln", "--skip-db-update", "--offline-scan", "--skip-dirs", "node_modules", "--format", "json", "--output", report, path.join(repo, part)], tools.trivyDb);
      expect(run.code, run.stderr).toBe(0);
      const { verdict } = gate(report);
      expect(verdict.reports[0]?.targets.length).toBeGreaterThan(0);
    }
  });

  it("trivy's own CycloneDX SBOM of the frontend lockfile passes sbom-check", () => {
    const sbom = path.join(work, "trivy-frontend.cdx.json");
    const run = trivy(["fs", "--format", "cyclonedx", "--skip-dirs", "node_modules", "--output", sbom, path.join(repo, "frontend")]);
    expect(run.code, run.stderr).toBe(0);
    expect(sbomCheck(sbom)).toMatchObject({ valid: true, format: "cyclonedx" });
  });
});

describe("cosign signs and attests an SBOM offline (key pair; no transparency log is reachable here)", { timeout: 600_000 }, () => {
  const env = { COSIGN_PASSWORD: "test-only-password" };
  // cosign 3 signs through a Sigstore signing config by default; offline, with a key, the classic path is explicit.
  const offline = ["--yes", "--key", "cosign.key", "--use-signing-config=false", "--tlog-upload=false"];
  let dir: string;
  let sbom: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(work, "cosign-"));
    expect(runTool(tools.cosign, ["generate-key-pair"], { cwd: dir, env }).code).toBe(0);
    sbom = path.join(dir, "frontend.cdx.json");
    const { cdx } = syft(`dir:${path.join(repo, "frontend")}`, "frontend-signed", ["--exclude", "./node_modules/**", "--exclude", "./dist/**"]);
    writeFileSync(sbom, readFileSync(cdx));
  });

  it("sign-blob, then verify-blob; a tampered SBOM fails verification", () => {
    const sign = runTool(tools.cosign, ["sign-blob", ...offline, "--bundle", "sbom.bundle", sbom], { cwd: dir, env });
    expect(sign.code, sign.stderr).toBe(0);
    const verify = (file: string) => runTool(tools.cosign, ["verify-blob", "--key", "cosign.pub", "--bundle", "sbom.bundle", "--insecure-ignore-tlog=true", file], { cwd: dir });
    expect(verify(sbom)).toMatchObject({ code: 0, stderr: expect.stringContaining("Verified OK") });
    writeFileSync(path.join(dir, "tampered.json"), readFileSync(sbom, "utf8").replace('"react"', '"reakt"'));
    expect(verify(path.join(dir, "tampered.json")).code).not.toBe(0);
  });

  it("attest-blob --type cyclonedx binds the SBOM to the artifact's digest; another artifact does not verify", () => {
    writeFileSync(path.join(dir, "artifact.tar"), readFileSync(path.join(repo, "frontend/package-lock.json")));
    writeFileSync(path.join(dir, "other.tar"), "not the artifact");
    const attest = runTool(tools.cosign, ["attest-blob", ...offline, "--predicate", sbom, "--type", "cyclonedx", "--bundle", "att.bundle", "artifact.tar"], { cwd: dir, env });
    expect(attest.code, attest.stderr).toBe(0);
    const verify = (file: string) =>
      runTool(tools.cosign, ["verify-blob-attestation", "--key", "cosign.pub", "--bundle", "att.bundle", "--type", "cyclonedx", "--insecure-ignore-tlog=true", file], { cwd: dir });
    expect(verify("artifact.tar")).toMatchObject({ code: 0, stderr: expect.stringContaining("Verified OK") });
    expect(verify("other.tar").stderr).toMatch(/digests do not match/);
  });

  it("attest-blob --type slsaprovenance1 binds the provenance predicate to the artifact's digest", () => {
    const artifact = readFileSync(path.join(repo, "frontend/Dockerfile"));
    writeFileSync(path.join(dir, "image.tar"), artifact);
    writeFileSync(path.join(dir, "other-image.tar"), "not the image");
    const provenance = runCli(
      frontendProvenanceArgs([NODE_PIN, NGINX_PIN], ["--invocation-id", "https://github.com/acme/helloagents/actions/runs/42", "--out", "prov.json"]),
      { cwd: dir },
    );
    expect(provenance.code, provenance.stderr).toBe(0);
    const predicate = provenanceSchema.parse(JSON.parse(readFileSync(path.join(dir, "prov.json"), "utf8")));

    const attest = runTool(tools.cosign, ["attest-blob", ...offline, "--predicate", "prov.json", "--type", "slsaprovenance1", "--bundle", "prov.bundle", "image.tar"], { cwd: dir, env });
    expect(attest.code, attest.stderr).toBe(0);
    const verify = (file: string) =>
      runTool(tools.cosign, ["verify-blob-attestation", "--key", "cosign.pub", "--bundle", "prov.bundle", "--type", "slsaprovenance1", "--insecure-ignore-tlog=true", file], { cwd: dir });
    expect(verify("image.tar")).toMatchObject({ code: 0, stderr: expect.stringContaining("Verified OK") });
    const other = verify("other-image.tar");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/digests do not match/);

    // cosign reads the predicate into the SLSA v1 protobuf and writes it back: unknown fields would be dropped and
    // malformed times refused, so an equal predicate in the signed statement means every field we write is SLSA v1.
    const bundle = JSON.parse(readFileSync(path.join(dir, "prov.bundle"), "utf8")) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString("utf8")) as {
      subject: { digest: { sha256: string } }[];
      predicateType: string;
      predicate: unknown;
    };
    expect(statement.predicateType).toBe("https://slsa.dev/provenance/v1");
    expect(statement.subject.map((s) => s.digest.sha256)).toEqual([createHash("sha256").update(artifact).digest("hex")]);
    expect(statement.predicate).toEqual(predicate);
  });
});
