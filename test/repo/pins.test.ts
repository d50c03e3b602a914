import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// One pin per image across the repository: the Dagger module's table (dagger/src/images.ts) is the source, and the
// Dockerfiles and compose file that people use without Dagger must pull exactly the same bytes.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

function pinnedRefs(): Record<string, string> {
  const source = read("dagger/src/images.ts");
  const refs: Record<string, string> = {};
  const entry = /(\w+): \{\s*repository: "([^"]+)",\s*tag: "([^"]+)",\s*digest: "(sha256:[0-9a-f]{64})"/g;
  for (const [, name, repository, tag, digest] of source.matchAll(entry)) refs[name!] = `${repository}:${tag}@${digest}`;
  return refs;
}

describe("image pins agree across the repository", () => {
  const refs = pinnedRefs();

  it("reads the pin table from dagger/src/images.ts", () => {
    expect(Object.keys(refs)).toEqual(expect.arrayContaining(["python", "node", "postgres", "redis"]));
  });

  it("backend/Dockerfile builds on the pinned python image", () => {
    expect(read("backend/Dockerfile")).toContain(`ARG PYTHON_IMAGE=${refs.python}\n`);
  });

  it("frontend/Dockerfile builds on the pinned node image and serves from the pinned nginx image", () => {
    expect(read("frontend/Dockerfile")).toContain(`ARG NODE_IMAGE=${refs.node}\n`);
    expect(read("frontend/Dockerfile")).toContain(`ARG NGINX_IMAGE=${refs.nginx}\n`);
  });

  it("no Dockerfile or compose file pulls an image by tag alone", () => {
    for (const file of ["backend/Dockerfile", "frontend/Dockerfile", "docker-compose.yml", "docker-compose.dev.yml"]) {
      const pulls = [...read(file).matchAll(/^(?:ARG \w+_IMAGE=|\s*image: )(\S+)$/gm)].map((m) => m[1]!);
      for (const ref of pulls.filter((r) => !r.startsWith("helloagents-"))) expect(ref, file).toMatch(/:[\w.-]+@sha256:[0-9a-f]{64}$/);
    }
  });

  it.each(["postgres", "redis", "nginx"])("docker-compose.yml runs the pinned %s image", (name) => {
    expect(read("docker-compose.yml")).toContain(`image: ${refs[name]}\n`);
  });
});
