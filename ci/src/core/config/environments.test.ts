import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { compileHealthChecks, parseEnvironmentsConfig, selectEnvironment } from "./environments.js";

const shipped = fileURLToPath(new URL("../../../config/environments.yaml", import.meta.url));

const minimal = (health: string, extra = "") => `
version: 1
environments:
  staging:
    urls: { frontend: "https://staging.example", backend: "https://staging.example/api" }
${extra}
    health:
${health}
`;
const oneCheck = `      checks:
        - { name: backend, target: backend, path: /health, assert: ['$.status == "pass"'] }`;

describe("environments configuration: the shipped file", () => {
  const config = parseEnvironmentsConfig(readFileSync(shipped, "utf8"), "environments.yaml");

  it("declares staging and production with the four health checks", () => {
    for (const name of ["staging", "production"]) {
      const checks = compileHealthChecks(selectEnvironment(config, name));
      expect(checks.map((c) => c.name)).toEqual(["backend-liveness", "backend-database", "backend-cache", "frontend"]);
    }
  });

  it("compiles URLs, conditions, budgets and the TLS policy", () => {
    const [liveness, database, , frontend] = compileHealthChecks(selectEnvironment(config, "production"));
    expect(liveness?.url).toBe("https://helloagents.example/api/health");
    expect(database?.conditions.map((c) => c.text)).toEqual(['$.status == "pass"', '$.checks["postgres:connection"][0].status == "pass"']);
    expect(frontend).toMatchObject({ url: "https://helloagents.example/health", budgetMs: 500, percentileBudget: { percentile: 95, budgetMs: 300 }, samples: 5, tls: { warnDays: 21, failDays: 3 } });
  });

  it("lets --samples override the file", () => {
    const checks = compileHealthChecks(selectEnvironment(config, "staging"), { samples: 20 });
    expect(checks.every((c) => c.samples === 20)).toBe(true);
  });
});

describe("environments configuration: invalid input is exit 2 naming the field", () => {
  const config = parseEnvironmentsConfig(minimal(oneCheck), "f.yaml");

  it("lists the known environments for an unknown one", () => {
    expect(() => selectEnvironment(config, "prod")).toThrow(new UsageError('unknown environment "prod"; known environments: staging'));
  });

  it.each([
    ["a future version", minimal(oneCheck).replace("version: 1", "version: 2"), "version: unsupported version; this hello-ci reads version 1"],
    ["an unknown key (strict objects)", minimal(oneCheck, "    rollout: { strategy: bluegreen }"), 'environments.staging: Unrecognized key: "rollout"'],
    ["a deploy section with an unknown target", minimal(oneCheck, "    deploy: { target: nomad }"), 'environments.staging.deploy.target: unknown target: use "kubernetes"'],
    ["a target that is not in urls", minimal(oneCheck.replace("target: backend", "target: api")), 'environments.staging.health.checks.0.target: unknown target "api"; urls defines "frontend", "backend"'],
    ["a malformed condition", minimal(oneCheck.replace("'$.status == \"pass\"'", "'$.status = pass'")), "environments.staging.health.checks.0.assert.0: invalid condition"],
    ["a bad duration", minimal(`      budget: fast\n${oneCheck}`), 'environments.staging.health.budget: "fast" is not a duration'],
    ["a bad percentile", minimal(oneCheck.replace("path: /health,", "path: /health, percentile: p95,")), "environments.staging.health.checks.0.percentile"],
    ["a path without a slash", minimal(oneCheck.replace("path: /health", "path: health")), "environments.staging.health.checks.0.path: must start with /"],
    ["a non-http URL", minimal(oneCheck).replace('"https://staging.example"', '"ftp://x"'), "environments.staging.urls.frontend: must be an http:// or https:// URL"],
    ["no checks", minimal("      checks: []"), "environments.staging.health.checks"],
    ["duplicate check names", minimal(`${oneCheck}\n        - { name: backend, target: frontend, path: /health }`), 'environments.staging.health.checks.1.name: duplicate check name "backend"'],
    ["warn window shorter than the fail threshold", minimal(`      tls: { warnDays: 2, failDays: 7 }\n${oneCheck}`), "warnDays must be at least failDays"],
    ["YAML that does not parse", "version: 1\nenvironments: [", "f.yaml: invalid YAML"],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseEnvironmentsConfig(text, "f.yaml")).toThrow(UsageError);
    expect(() => parseEnvironmentsConfig(text, "f.yaml")).toThrow(message);
  });

  it("a broken-YAML error is one line that ends with where, not a dangling colon", () => {
    const text = "version: 1\nenvironments:\n  staging: [\n";
    const error = (() => {
      try {
        parseEnvironmentsConfig(text, "f.yaml");
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("parsed");
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^f\.yaml: invalid YAML: .+ at line \d+, column \d+$/);
  });
});
