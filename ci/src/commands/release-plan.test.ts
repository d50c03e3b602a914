import { describe, expect, it } from "vitest";
import { main } from "../cli.js";
import { memoryIo } from "../io.js";
import { releasePlanSchema } from "../schemas/release-plan.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const HINT = "expected vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v1.2.3 or v2.0.0-rc.1";

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, now: () => new Date("2026-02-01T10:00:00Z") });
  const code = await main(["node", "hello-ci", "release-plan", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("hello-ci release-plan", () => {
  it("prints a JSON plan with lowercased images, default created time and GitHub url/source", async () => {
    const { code, stdout } = await run(
      ["--version", "v1.2.3", "--sha", SHA, "--image", "GHCR.io/Acme/HelloAgents-Backend", "--image", "ghcr.io/acme/helloagents-frontend", "--licenses", "Apache-2.0", "--json"],
      { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/helloagents" },
    );
    expect(code).toBe(0);
    const plan = releasePlanSchema.parse(JSON.parse(stdout));
    expect(plan.tags).toEqual(["1.2.3", "1.2", "1", "latest", "sha-0123456"]);
    expect(plan.images.map((i) => i.name)).toEqual(["ghcr.io/acme/helloagents-backend", "ghcr.io/acme/helloagents-frontend"]);
    expect(plan.created).toBe("2026-02-01T10:00:00.000Z");
    expect(plan.images[0]?.labels["org.opencontainers.image.source"]).toBe("https://github.com/acme/helloagents");
  });

  it("prints a readable plan without --json", async () => {
    const { code, stdout } = await run(["--version", "v0.4.1", "--sha", SHA, "--image", "ghcr.io/a/b", "--created", "2026-01-01T00:00:00+01:00"]);
    expect(code).toBe(0);
    expect(stdout).toContain("tags: 0.4.1 0.4 latest sha-0123456");
    expect(stdout).toContain("  ghcr.io/a/b:0.4");
    expect(stdout).toContain("label org.opencontainers.image.created=2026-01-01T00:00:00+01:00");
  });

  it.each([["1.2"], ["v1.2"], ["latest"], ["v1.2.3.4"], [""]])("exits 2 on version %j with one line showing a valid version", async (version) => {
    const { code, stdout, stderr } = await run(["--version", version, "--sha", SHA, "--image", "ghcr.io/a/b"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(HINT);
  });

  it("exits 2 on a missing version with the same hint", async () => {
    const { code, stderr } = await run(["--sha", SHA, "--image", "ghcr.io/a/b"]);
    expect(code).toBe(2);
    expect(stderr).toBe(`hello-ci: release-plan: --version: missing: ${HINT}\n`);
  });

  it.each([["abc"], ["0123456"], ["g".repeat(40)], [`${SHA}0`]])("exits 2 on sha %j", async (sha) => {
    const { code, stderr } = await run(["--version", "v1.2.3", "--sha", sha, "--image", "ghcr.io/a/b"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--sha: expected the full 40-hex commit sha/);
  });

  it("exits 2 when no image is given, or an image carries a tag", async () => {
    expect((await run(["--version", "v1.2.3", "--sha", SHA])).stderr).toMatch(/--image: missing: give at least one --image/);
    const tagged = await run(["--version", "v1.2.3", "--sha", SHA, "--image", "ghcr.io/a/b:1"]);
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toMatch(/must not carry a tag or digest/);
  });

  it("exits 2 on a created time that is not RFC 3339", async () => {
    const { code, stderr } = await run(["--version", "v1.2.3", "--sha", SHA, "--image", "x", "--created", "yesterday"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--created: expected an RFC 3339 time/);
  });

  it("rejects build metadata explicitly", async () => {
    const { code, stderr } = await run(["--version", "v1.2.3+build.5", "--sha", SHA, "--image", "x"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/build metadata/);
  });

  it.each([["MIT OR"], ["Apache 2"], ["GPL-2.0+ AND"], ["not-a-license"], [""]])("exits 2 on --licenses %j, which is not an SPDX expression", async (licenses) => {
    const { code, stdout, stderr } = await run(["--version", "v1.2.3", "--sha", SHA, "--image", "ghcr.io/a/b", "--licenses", licenses]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(`hello-ci: release-plan: --licenses: ${JSON.stringify(licenses)} is not an SPDX license expression (e.g. Apache-2.0, MIT OR Apache-2.0, LicenseRef-acme)\n`);
  });

  it.each([["Apache-2.0"], ["MIT AND (Apache-2.0 OR BSD-3-Clause)"], ["GPL-2.0-or-later WITH Classpath-exception-2.0"], ["LicenseRef-acme-proprietary"]])(
    "accepts the SPDX expression %j as the licenses label",
    async (licenses) => {
      const { code, stdout } = await run(["--version", "v1.2.3", "--sha", SHA, "--image", "ghcr.io/a/b", "--licenses", licenses, "--json"]);
      expect(code).toBe(0);
      expect(releasePlanSchema.parse(JSON.parse(stdout)).images[0]?.labels["org.opencontainers.image.licenses"]).toBe(licenses);
    },
  );
});
