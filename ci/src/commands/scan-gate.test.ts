import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trivyFixtureDir } from "../../test/support/trivy-fixtures.js";
import { tempDir } from "../../test/support/temp.js";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { scanVerdictSchema } from "../schemas/scan-verdict.js";

const work = tempDir("scan-gate-");
const fixture = (name: string) => path.join(trivyFixtureDir, name);

async function run(args: string[], now = "2026-06-15T12:00:00Z") {
  const io = memoryIo({ cwd: work, now: () => new Date(now) });
  const code = await main(["node", "hello-ci", "scan-gate", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("hello-ci scan-gate", () => {
  it("exits 0 and prints the Markdown summary when nothing blocks", async () => {
    const { code, stdout, stderr } = await run(["--report", fixture("alpine-310.json")]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^## ✅ Scan gate: passed/);
    expect(stderr).toBe("");
  });

  it("exits 1 with the reason on stderr and the JSON verdict on stdout", async () => {
    const { code, stdout, stderr } = await run(["--report", fixture("debian-buster.json"), "--report", fixture("fluentd-gems.json"), "--json"]);
    expect(code).toBe(1);
    const verdict = scanVerdictSchema.parse(JSON.parse(stdout));
    expect(verdict.blocking.map((f) => f.id)).toEqual(["CVE-2019-18224", "CVE-2019-18224", "CVE-2020-8165"]);
    expect(stderr).toBe("hello-ci: scan-gate blocked: 3 findings at CRITICAL,HIGH (2 CRITICAL, 1 HIGH) in 2 of 2 reports\n");
  });

  it("writes the summary file and honours --severity and --ignore-unfixed", async () => {
    const { code } = await run(["--report", fixture("distroless-base.json"), "--severity", "medium,low", "--ignore-unfixed", "--summary", "out.md", "--json"]);
    expect(code).toBe(1);
    const markdown = readFileSync(path.join(work, "out.md"), "utf8");
    expect(markdown).toContain("Policy: severities MEDIUM,LOW; ignore-unfixed on; ignore file none.");
    expect(markdown).toContain("### Ignored findings (2)");
  });

  it("an expired ignore file entry lets the finding block again", async () => {
    writeFileSync(path.join(work, ".trivyignore.yaml"), "vulnerabilities:\n  - id: CVE-2019-18224\n    statement: accepted\n    expired_at: 2026-06-01\n");
    const before = await run(["--report", fixture("debian-buster.json"), "--ignorefile", ".trivyignore.yaml"], "2026-05-31T00:00:00Z");
    const after = await run(["--report", fixture("debian-buster.json"), "--ignorefile", ".trivyignore.yaml"]);
    expect(before.code).toBe(0);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('- CVE-2019-18224 in testdata/fixtures/images/debian-buster.tar.gz (testdata/fixtures/images/debian-buster.tar.gz (debian 10.1)): ignore expired 2026-06-01 — "accepted"');
  });

  it.each([
    ["no report", [], /--report: missing: give at least one --report/],
    ["a missing report", ["--report", "nope.json"], /^hello-ci: scan-gate: --report: cannot read nope.json: no such file or directory$/m],
    ["an unknown severity", ["--report", "x.json", "--severity", "HIGH,SEVERE"], /--severity: unknown severity SEVERE/],
    ["a missing ignore file", ["--report", "REAL", "--ignorefile", "missing.yaml"], /scan-gate: --ignorefile: cannot read missing.yaml: no such file or directory/],
    ["the same report twice", ["--report", "REAL", "--report", "REAL"], /^hello-ci: scan-gate: --report: \S+npm\.json is given twice: pass each image variant's report once$/m],
    ["the same report twice by another path", ["--report", "npm.json", "--report", "./npm.json"], /scan-gate: --report: \.\/npm\.json is given twice/],
    ["an unwritable summary", ["--report", "REAL", "--summary", "no/such/dir/out.md"], /scan-gate: --summary: cannot write no\/such\/dir\/out.md: no such file or directory/],
  ])("exits 2 on %s", async (_name, args, message) => {
    const { code, stderr } = await run(args.map((a) => (a === "REAL" ? fixture("npm.json") : a)));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2, never 0, on a truncated report even when other reports pass", async () => {
    const text = readFileSync(fixture("alpine-310.json"), "utf8");
    writeFileSync(path.join(work, "truncated.json"), text.slice(0, 1000));
    const { code, stdout, stderr } = await run(["--report", fixture("npm.json"), "--report", "truncated.json"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^hello-ci: report truncated.json is not JSON \(truncated or corrupt\?\)/);
  });
});
