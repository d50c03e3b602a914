/** The built CLI: release-plan, scan-gate, sbom-check, release-summary and provenance as a pipeline calls them (exit codes, stdout, stderr). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { provenanceSchema } from "../../src/schemas/provenance.js";
import { releasePlanSchema } from "../../src/schemas/release-plan.js";
import { sbomCheckResultSchema } from "../../src/schemas/sbom-check.js";
import { scanVerdictSchema } from "../../src/schemas/scan-verdict.js";
import { runCli } from "../support/cli.js";
import { ciRoot } from "../support/stack.js";
import { frontendProvenanceArgs, NGINX_PIN, NODE_PIN } from "../support/provenance.js";
import { tempDir } from "../support/temp.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const trivy = (name: string) => path.join(ciRoot, "test/fixtures/trivy", name);
const sbom = (name: string) => path.join(ciRoot, "test/fixtures/sbom", name);
const work = tempDir("hello-ci-e2e-");

describe("built hello-ci release-plan", () => {
  it("prints the JSON plan the Dagger module reads", async () => {
    const run = await runCli(["release-plan", "--version", "v1.2.3", "--sha", SHA, "--image", "ghcr.io/Acme/helloagents-backend", "--created", "2026-01-31T12:00:00Z", "--json"], {
      env: { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/helloagents" },
    });
    expect(run.code).toBe(0);
    const plan = releasePlanSchema.parse(JSON.parse(run.stdout));
    expect(plan.images[0]?.references).toEqual([
      "ghcr.io/acme/helloagents-backend:1.2.3",
      "ghcr.io/acme/helloagents-backend:1.2",
      "ghcr.io/acme/helloagents-backend:1",
      "ghcr.io/acme/helloagents-backend:latest",
      "ghcr.io/acme/helloagents-backend:sha-0123456",
    ]);
    expect(plan.images[0]?.labels["org.opencontainers.image.url"]).toBe("https://github.com/acme/helloagents");
  });

  it.each([["1.2"], ["v1.2"], ["latest"], ["v1.2.3.4"], [""]])("exits 2 on --version %j with exactly one line", async (version) => {
    const run = await runCli(["release-plan", "--version", version, "--sha", SHA, "--image", "ghcr.io/a/b"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^hello-ci: release-plan: --version: .*expected vMAJOR\.MINOR\.PATCH\[-PRERELEASE\], e\.g\. v1\.2\.3 or v2\.0\.0-rc\.1\n$/);
  });

  it("exits 2 on a bad sha", async () => {
    expect((await runCli(["release-plan", "--version", "v1.2.3", "--sha", "deadbeef", "--image", "ghcr.io/a/b"])).code).toBe(2);
  });
});

describe("built hello-ci scan-gate", () => {
  it("exits 0 on a report with nothing at HIGH,CRITICAL", async () => {
    const run = await runCli(["scan-gate", "--report", trivy("npm.json")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Scan gate: passed");
  });

  it("exits 1 on the secrets report, writes the summary, prints the JSON verdict", async () => {
    const summary = path.join(work, "summary.md");
    const run = await runCli(["scan-gate", "--report", trivy("secrets.json"), "--report", trivy("alpine-310.json"), "--summary", summary, "--json"]);
    expect(run.code).toBe(1);
    expect(scanVerdictSchema.parse(JSON.parse(run.stdout)).blocking.map((f) => f.id)).toEqual(["aws-access-key-id", "mysecret"]);
    expect(readFileSync(summary, "utf8")).toContain("### Blocking findings (2)");
  });

  it("exits 2 on a truncated report", async () => {
    const truncated = path.join(work, "truncated.json");
    writeFileSync(truncated, readFileSync(trivy("pip.json"), "utf8").slice(0, 500));
    const run = await runCli(["scan-gate", "--report", truncated]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });
});

describe("built hello-ci sbom-check", () => {
  it.each(["npm-cyclonedx.json", "fluentd-multiple-lockfiles.cdx.json", "conda-spdx.json"])("exits 0 on %s", async (name) => {
    const run = await runCli(["sbom-check", "--sbom", sbom(name), "--json"]);
    expect(run.code).toBe(0);
    expect(sbomCheckResultSchema.parse(JSON.parse(run.stdout)).valid).toBe(true);
  });

  it("exits 1 on an SPDX document missing a required field, 2 on a file that is not JSON", async () => {
    const document = JSON.parse(readFileSync(sbom("conda-spdx.json"), "utf8")) as Record<string, unknown>;
    delete document.dataLicense;
    writeFileSync(path.join(work, "broken.spdx.json"), JSON.stringify(document));
    const invalid = await runCli(["sbom-check", "--sbom", "broken.spdx.json"], { cwd: work });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe("hello-ci: sbom-check: broken.spdx.json is not valid SPDX 2.3: /: must have required property 'dataLicense'\n");
    writeFileSync(path.join(work, "half.json"), "{\"bomFormat\": \"Cyclo");
    expect((await runCli(["sbom-check", "--sbom", "half.json"], { cwd: work })).code).toBe(2);
  });
});

describe("built hello-ci release-summary", () => {
  it("renders the release record into the Markdown the job summary shows", async () => {
    const out = path.join(work, "summary.md");
    const run = await runCli(["release-summary", "--record", path.join(ciRoot, "test/fixtures/release/release.json"), "--out", out]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, "", ""]);
    const summary = readFileSync(out, "utf8");
    expect(summary).toMatch(/^# Release 1\.2\.3\n/);
    expect(summary).toContain("cosign verify --certificate-identity-regexp '^https://github\\.com/acme/helloagents/");
  });

  it("exits 2 with one line on a truncated record and writes nothing", async () => {
    const record = path.join(work, "truncated.json");
    writeFileSync(record, readFileSync(path.join(ciRoot, "test/fixtures/release/release.json"), "utf8").slice(0, 300));
    const out = path.join(work, "never.md");
    const run = await runCli(["release-summary", "--record", record, "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("is not JSON (truncated or corrupt?)");
    expect(existsSync(out)).toBe(false);
  });
});

describe("built hello-ci provenance", () => {

  it("writes the SLSA v1 predicate the Dagger module hands to cosign, and prints nothing", async () => {
    const out = path.join(work, "provenance.json");
    const run = await runCli([...frontendProvenanceArgs([NODE_PIN, NGINX_PIN]), "--out", out]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, "", ""]);
    const predicate = provenanceSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(predicate.buildDefinition.externalParameters).toEqual({
      image: "ghcr.io/acme/helloagents-frontend",
      version: "1.2.3",
      platforms: ["linux/amd64", "linux/arm64"],
      dockerfile: "frontend/Dockerfile",
      source: { repository: "https://github.com/acme/helloagents", revision: SHA },
    });
    expect(predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: "git+https://github.com/acme/helloagents", digest: { gitCommit: SHA } },
      { uri: "pkg:docker/node@20-slim", digest: { sha256: "6db5e436948af8f0244488a1f658c2c8e55a3ae51ca2e1686ed042be8f25f70a" } },
      { uri: "pkg:docker/nginxinc/nginx-unprivileged@1.28.0-alpine", digest: { sha256: "c97ff0bf7cbae369953c6da1232ec14ad9f971d66360c5698db0856a4cd657a0" } },
    ]);
    expect(predicate.runDetails.metadata).toEqual({ startedOn: "2026-01-31T11:58:00Z", finishedOn: "2026-01-31T12:00:00Z" });
  });

  it("exits 2 with one line on a base image without a digest, and writes nothing", async () => {
    const out = path.join(work, "never-provenance.json");
    const run = await runCli([...frontendProvenanceArgs([NODE_PIN, "nginxinc/nginx-unprivileged:1.28.0-alpine"]), "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^hello-ci: provenance: --base-image: base image 'nginxinc\/nginx-unprivileged:1\.28\.0-alpine' is not pinned: base images must be pinned by digest[^\n]*\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
