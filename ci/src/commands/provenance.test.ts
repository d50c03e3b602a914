import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../cli.js";
import * as core from "../core/release/provenance.js";
import { memoryIo } from "../io.js";
import { provenanceSchema } from "../schemas/provenance.js";
import { toolkitVersion } from "../version.js";
import { tempDir } from "../../test/support/temp.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const PYTHON = "python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3";
const HINT = "expected vMAJOR.MINOR.PATCH[-PRERELEASE], e.g. v1.2.3 or v2.0.0-rc.1";
const NOW = "2026-02-01T10:00:00.000Z";
const work = tempDir("hello-ci-provenance-");

// The real builder, replaceable once to hand the command a predicate that breaks its own schema.
vi.mock("../core/release/provenance.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../core/release/provenance.js")>();
  return { ...actual, buildProvenance: vi.fn(actual.buildProvenance) };
});

/** Every required flag; `flags` overrides by name (value undefined drops the flag), `extra` is appended. */
function args(flags: Record<string, string | string[] | undefined> = {}, extra: string[] = []): string[] {
  const all: Record<string, string | string[] | undefined> = {
    image: "ghcr.io/acme/helloagents-backend",
    version: "v1.2.3",
    sha: SHA,
    platform: ["linux/amd64", "linux/arm64"],
    dockerfile: "backend/Dockerfile",
    "base-image": [PYTHON],
    ...flags,
  };
  const argv = Object.entries(all).flatMap(([flag, value]) => (value === undefined ? [] : [value].flat().flatMap((v) => [`--${flag}`, v])));
  return [...argv, ...extra];
}

async function run(argv: string[]) {
  const io = memoryIo({ cwd: work, now: () => new Date(NOW) });
  const code = await main(["node", "hello-ci", "provenance", ...argv], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("hello-ci provenance", () => {
  it("prints the predicate as pretty JSON that passes the schema, finished now by default", async () => {
    const { code, stdout, stderr } = await run(args({ "repository-url": "https://github.com/acme/helloagents" }));
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^\{\n {2}"buildDefinition": \{\n[\s\S]*\n\}\n$/);
    const predicate = provenanceSchema.parse(JSON.parse(stdout));
    expect(predicate.buildDefinition.externalParameters).toMatchObject({ image: "ghcr.io/acme/helloagents-backend", version: "1.2.3", platforms: ["linux/amd64", "linux/arm64"] });
    expect(predicate.buildDefinition.internalParameters.toolkit).toBe(`hello-ci ${toolkitVersion}`);
    expect(predicate.buildDefinition.resolvedDependencies.map((d) => d.uri)).toEqual(["git+https://github.com/acme/helloagents", "pkg:docker/python@3.11.15-slim-bookworm"]);
    expect(predicate.runDetails).toEqual({ builder: { id: "urn:helloagents:builder:dagger-engine" }, metadata: { finishedOn: NOW } });
  });

  it("writes the predicate to --out and prints nothing", async () => {
    const extra = ["--out", "prov.json", "--builder-id", "https://ci.example.com/builder", "--invocation-id", "run-42", "--started-on", "2026-02-01T10:59:00+01:00", "--finished-on", "2026-02-01T11:00:00+01:00"];
    const { code, stdout, stderr } = await run(args({}, extra));
    expect([code, stdout, stderr]).toEqual([0, "", ""]);
    const text = readFileSync(path.join(work, "prov.json"), "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    const predicate = provenanceSchema.parse(JSON.parse(text));
    expect(predicate.runDetails).toEqual({
      builder: { id: "https://ci.example.com/builder" },
      metadata: { invocationId: "run-42", startedOn: "2026-02-01T10:59:00+01:00", finishedOn: "2026-02-01T11:00:00+01:00" },
    });
  });

  it.each([
    ["a missing --image", { image: undefined }, [], "--image: missing: give the image repository"],
    ["a tagged --image", { image: "ghcr.io/acme/app:1.0" }, [], "--image: image 'ghcr.io/acme/app:1.0' must not carry a tag or digest"],
    ["a bad --version", { version: "v1.2" }, [], `--version: 'v1.2' is not a release version: ${HINT}`],
    ["a missing --version", { version: undefined }, [], `--version: missing: ${HINT}`],
    ["a short --sha", { sha: "0123456" }, [], "--sha: expected the full 40-hex commit sha, e.g. --sha $(git rev-parse HEAD)"],
    ["no --platform", { platform: undefined }, [], "--platform: missing: give at least one --platform"],
    ["a bad --platform", { platform: ["linux/amd64", "amd64"] }, [], "--platform: 'amd64' is not os/arch[/variant]"],
    ["a missing --dockerfile", { dockerfile: undefined }, [], "--dockerfile: missing:"],
    ["an absolute --dockerfile", { dockerfile: "/src/Dockerfile" }, [], "--dockerfile: '/src/Dockerfile' is not a path relative to the repository root"],
    ["a --dockerfile outside the repository", { dockerfile: "../Dockerfile" }, [], "--dockerfile: '../Dockerfile' is not a path relative"],
    ["no --base-image", { "base-image": undefined }, [], "--base-image: missing: give every base image pinned by digest"],
    ["a tag-only --base-image", { "base-image": [PYTHON, "node:20-slim"] }, [], "--base-image: base image 'node:20-slim' is not pinned: base images must be pinned by digest"],
    ["a digest without a tag", { "base-image": [PYTHON.replace(":3.11.15-slim-bookworm", "")] }, [], "--base-image: base image 'python@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3' has no tag"],
    ["an http --repository-url", {}, ["--repository-url", "http://github.com/acme/helloagents"], "--repository-url: expected an https:// URL"],
    ["a --builder-id that is not a URI", {}, ["--builder-id", "dagger engine"], "--builder-id: expected an absolute URI"],
    ["a --started-on that is not RFC 3339", {}, ["--started-on", "yesterday"], "--started-on: expected an RFC 3339 time"],
    ["a --finished-on that is not RFC 3339", {}, ["--finished-on", "2026-02-01 10:00"], "--finished-on: expected an RFC 3339 time"],
    ["--started-on after --finished-on", {}, ["--started-on", "2026-02-01T12:00:00Z", "--finished-on", "2026-02-01T12:00:00+01:00"], "--started-on: 2026-02-01T12:00:00Z is after --finished-on 2026-02-01T12:00:00+01:00"],
    ["--started-on after now", {}, ["--started-on", "2026-02-01T10:00:01Z"], `--started-on: 2026-02-01T10:00:01Z is after the finish time (now, ${NOW})`],
    ["an empty --invocation-id", {}, ["--invocation-id", ""], "--invocation-id: must not be empty"],
  ] as const)("exits 2 on %s with one line naming the flag, and writes no file", async (_name, flags, extra, message) => {
    const out = `never-${Math.random().toString(36).slice(2)}.json`;
    const { code, stdout, stderr } = await run(args(flags as Record<string, string | string[] | undefined>, [...extra, "--out", out]));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr.startsWith(`hello-ci: provenance: ${message}`), stderr).toBe(true);
    expect(existsSync(path.join(work, out))).toBe(false);
  });

  it("exits 70 (internal error), not 2, and writes nothing when its own predicate fails the schema", async () => {
    const real = await vi.importActual<typeof import("../core/release/provenance.js")>("../core/release/provenance.js");
    vi.mocked(core.buildProvenance).mockImplementationOnce((input) => {
      const predicate = real.buildProvenance(input);
      return { ...predicate, runDetails: { ...predicate.runDetails, builder: { id: "not a uri" } } };
    });
    const { code, stdout, stderr } = await run(args({}, ["--out", "bug.json"]));
    expect([code, stdout]).toEqual([70, ""]);
    expect(stderr).toMatch(/^hello-ci: internal error \(a bug in hello-ci\): provenance predicate fails its own schema: runDetails\.builder\.id: expected an absolute URI/);
    expect(existsSync(path.join(work, "bug.json"))).toBe(false);
  });
});
