import { describe, expect, it } from "vitest";
import { parseImageName } from "./image.js";

describe("parseImageName", () => {
  it.each([
    ["ghcr.io/acme/helloagents-backend", "ghcr.io/acme/helloagents-backend", "helloagents-backend"],
    ["GHCR.io/Acme/HelloAgents-Frontend", "ghcr.io/acme/helloagents-frontend", "helloagents-frontend"],
    ["localhost:5000/app", "localhost:5000/app", "app"],
    ["helloagents", "helloagents", "helloagents"],
    ["registry.example.com/a/b/c__d.e", "registry.example.com/a/b/c__d.e", "c__d.e"],
  ])("accepts %s as %s (title %s)", (input, name, title) => {
    expect(parseImageName(input)).toEqual({ ok: true, name, title });
  });

  it.each([["ghcr.io/acme/app:1.0"], ["ghcr.io/acme/app@sha256:abc"], ["app:latest"]])("rejects %s because it carries a tag or digest", (input) => {
    expect(parseImageName(input)).toMatchObject({ ok: false, reason: expect.stringContaining("must not carry a tag or digest") });
  });

  it.each([[""], ["ghcr.io/acme/-app"], ["ghcr.io//app"], ["ghcr.io/acme/app/"], ["with space/app"]])("rejects malformed %j", (input) => {
    expect(parseImageName(input)).toMatchObject({ ok: false, reason: expect.stringContaining("not a valid repository name") });
  });
});
