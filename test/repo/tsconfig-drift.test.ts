import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// ci/ must build alone (the toolkit image sees only ci/), so it carries its own tsconfig instead of extending the
// root one. This keeps the two from drifting apart.
const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as {
  compilerOptions: Record<string, unknown>;
};

const shared = [
  "target",
  "module",
  "moduleResolution",
  "strict",
  "noUncheckedIndexedAccess",
  "noImplicitOverride",
  "noFallthroughCasesInSwitch",
  "isolatedModules",
] as const;

describe("shared compiler options", () => {
  const root = read("tsconfig.json").compilerOptions;
  const ci = read("ci/tsconfig.json").compilerOptions;

  it.each(shared)("ci/tsconfig.json keeps %s equal to the root tsconfig", (option) => {
    expect(root[option]).toBeDefined();
    expect(ci[option]).toEqual(root[option]);
  });
});
