import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { tempDir } from "../../test/support/temp.js";

const fixture = path.resolve(import.meta.dirname, "../../test/fixtures/release/release.json");
const work = tempDir("hello-ci-release-summary-");

async function run(args: string[]) {
  const io = memoryIo({ cwd: work });
  const code = await main(["node", "hello-ci", "release-summary", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr, cwd: io.cwd };
}

describe("hello-ci release-summary", () => {
  it("prints the Markdown summary of a record", async () => {
    const { code, stdout, stderr } = await run(["--record", fixture]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^# Release 1\.2\.3\n/);
  });

  it("writes it to --out and prints nothing", async () => {
    const { code, stdout, cwd } = await run(["--record", fixture, "--out", "summary.md"]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(readFileSync(path.join(cwd, "summary.md"), "utf8")).toContain("Scan gate: **pass**");
  });

  it("exits 2 with one line when --record is missing, unreadable or corrupt", async () => {
    const missing = await run([]);
    expect([missing.code, missing.stderr]).toEqual([2, "hello-ci: release-summary: --record: missing: give the release record, e.g. --record release/release.json\n"]);
    const absent = await run(["--record", "nope.json"]);
    expect([absent.code, absent.stderr]).toEqual([2, "hello-ci: release-summary: --record: cannot read nope.json: no such file or directory\n"]);
    const corrupt = await run(["--record", path.resolve(import.meta.dirname, "../../package.json")]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.trim().split("\n")).toHaveLength(1);
    expect(corrupt.stderr).toMatch(/release record .*package\.json is invalid: schema: .*\(expected schema helloagents\/release@1\)/);
    expect(corrupt.stdout).toBe("");
  });
});
