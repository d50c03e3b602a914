import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { environmentsConfigSchema } from "../../schemas/environments.js";
import { ENVIRONMENTS_SCHEMA_FILE, environmentsJsonSchema, environmentsJsonSchemaText, RULES_ONLY_HELLO_CI_CHECKS } from "./environments-json-schema.js";

const ciRoot = fileURLToPath(new URL("../../../", import.meta.url));
const schemaPath = resolve(ciRoot, ENVIRONMENTS_SCHEMA_FILE);
const configPath = resolve(ciRoot, "config/environments.yaml");
const committed = readFileSync(schemaPath, "utf8");

// Strict, except that `oneOf: [{ required: [podLabels] }, { required: [cidrs] }]` names properties declared beside it.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(committed) as object);

describe("environments JSON Schema: the committed file", () => {
  it("matches what the zod schema generates (else: run `cd ci && npm run schemas` and commit it)", () => {
    const generated = environmentsJsonSchemaText();
    if (committed !== generated) {
      expect.fail(`ci/${ENVIRONMENTS_SCHEMA_FILE} is out of date with src/schemas/environments.ts (and deploy.ts): run \`cd ci && npm run schemas\` and commit the file`);
    }
  });

  it("is a draft-07 schema that ajv compiles in strict mode", () => {
    expect(JSON.parse(committed)).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#", type: "object" });
    expect(typeof validate).toBe("function");
  });

  it("ci/config/environments.yaml points editors at it on its first line, by a path that resolves to it", () => {
    const firstLine = readFileSync(configPath, "utf8").split("\n")[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);
    expect(match, `first line of ci/config/environments.yaml: ${firstLine}`).not.toBeNull();
    expect(resolve(dirname(configPath), match![1]!)).toBe(schemaPath);
  });

  it("the committed ci/config/environments.yaml validates against it (and against zod)", () => {
    const config = parseYaml(readFileSync(configPath, "utf8")) as unknown;
    const ok = validate(config);
    expect(ok, ajv.errorsText(validate.errors)).toBe(true);
    expect(environmentsConfigSchema.safeParse(config).success).toBe(true);
  });

  it("names every rule only hello-ci checks in its description", () => {
    const description = String(environmentsJsonSchema().description);
    for (const rule of RULES_ONLY_HELLO_CI_CHECKS) expect(description).toContain(rule);
  });
});

// ---- the schema and zod agree on what people write ------------------------------------------------------------------

type Env = Record<string, unknown>;

function base(): { version: number; environments: Record<string, Env> } {
  return {
    version: 1,
    environments: {
      qa: {
        urls: { backend: "http://127.0.0.1:8000/api", frontend: "http://127.0.0.1:8080" },
        health: { timeout: "5s", checks: [{ name: "api", target: "backend", path: "/health", assert: ['$.status == "pass"'] }] },
        deploy: {
          target: "kubernetes",
          namespace: "helloagents-qa",
          images: { backend: "ghcr.io/acme/helloagents-backend", frontend: "ghcr.io/acme/helloagents-frontend" },
          runtimeSecret: { name: "helloagents-runtime", keys: ["DATABASE_URL"] },
        },
      },
    },
  };
}

/** A copy of the base config changed by `change` (which edits the `qa` environment or the whole document). */
function variant(change: (env: Env, doc: ReturnType<typeof base>) => void): unknown {
  const doc = base();
  change(doc.environments.qa!, doc);
  return doc;
}

const deploy = (env: Env) => env.deploy as Env;
const health = (env: Env) => env.health as Env;
const check = (env: Env) => (health(env).checks as Env[])[0]!;

const verdicts = (doc: unknown) => ({ zod: environmentsConfigSchema.safeParse(doc).success, schema: validate(doc) as boolean });

describe("environments JSON Schema: accepts and refuses what zod does", () => {
  it.each<[string, (env: Env, doc: ReturnType<typeof base>) => void, boolean]>([
    ["a minimal environment with a deploy section", () => undefined, true],
    ["durations with units, quantities as text and numbers, a percentile budget", (env) => {
      health(env).budget = "1500ms";
      check(env).percentile = "p95 < 300ms";
      deploy(env).strategy = { progressDeadline: "5m", bakeTime: "2m", probeInterval: "10s", scaleDownDelay: "30m", maxFailureRatio: 0.2 };
      deploy(env).apps = { backend: { replicas: 3, resources: { requests: { cpu: 0.5, memory: "256Mi" }, limits: { memory: "1Gi" } } } };
    }, true],
    ["dependencies by pod labels and by CIDR", (env) => void (deploy(env).dependencies = { postgres: { port: 5432, podLabels: { "app.kubernetes.io/name": "postgresql" } }, redis: { port: 6379, cidrs: ["10.0.0.0/24"] } }), true],
    ["an environment without a deploy section", (env) => void delete env.deploy, true],
    ["version 2", (_env, doc) => void (doc.version = 2), false],
    ["an unknown top-level key", (_env, doc) => void Object.assign(doc, { env: {} }), false],
    ["an unknown key in an environment", (env) => void (env.helth = {}), false],
    ["an environment name with capitals", (_env, doc) => void (doc.environments.QA = doc.environments.qa!), false],
    ["no checks", (env) => void (health(env).checks = []), false],
    ["a URL that is not http(s)", (env) => void ((env.urls as Env).backend = "ftp://example.com/"), false],
    ["a duration as a bare number", (env) => void (health(env).timeout = 5000), false],
    ["a duration without a unit", (env) => void (health(env).timeout = "5"), false],
    ["a duration in words", (env) => void (health(env).timeout = "5 seconds"), false],
    ["a percentile budget the wrong way round", (env) => void (check(env).percentile = "p95 > 300ms"), false],
    ["a method other than GET or HEAD", (env) => void (check(env).method = "POST"), false],
    ["a status code out of range", (env) => void (check(env).status = [99]), false],
    ["a path without a leading slash", (env) => void (check(env).path = "health"), false],
    ["an unknown deploy target", (env) => void (deploy(env).target = "ecs"), false],
    ["an unknown key in the deploy section", (env) => void (deploy(env).replicas = 2), false],
    ["a namespace that is not an RFC 1123 name", (env) => void (deploy(env).namespace = "Helloagents_QA"), false],
    ["an image repository with a tag", (env) => void ((deploy(env).images as Env).backend = "ghcr.io/acme/helloagents-backend:1.0.0"), false],
    ["zero replicas", (env) => void (deploy(env).apps = { backend: { replicas: 0 } }), false],
    ["a failure ratio above 1", (env) => void (deploy(env).strategy = { maxFailureRatio: 1.5 }), false],
    ["an unknown strategy key", (env) => void (deploy(env).strategy = { bake: "2m" }), false],
    ["a quantity in words", (env) => void (deploy(env).apps = { backend: { resources: { requests: { cpu: "1 core" } } } }), false],
    ["a negative quantity", (env) => void (deploy(env).apps = { backend: { resources: { limits: { cpu: -1 } } } }), false],
    ["a dependency with both pod labels and CIDRs", (env) => void (deploy(env).dependencies = { redis: { port: 6379, podLabels: { app: "redis" }, cidrs: ["10.0.0.0/24"] } }), false],
    ["a dependency with neither", (env) => void (deploy(env).dependencies = { redis: { port: 6379 } }), false],
    ["a CIDR with a /33", (env) => void (deploy(env).dependencies = { redis: { port: 6379, cidrs: ["10.0.0.0/33"] } }), false],
    ["an annotation key with a space", (env) => void (deploy(env).podAnnotations = { "bad key": "x" }), false],
    ["a runtime Secret without keys", (env) => void (deploy(env).runtimeSecret = { name: "helloagents-runtime", keys: [] }), false],
    ["a preview URL that is not a URL", (env) => void (deploy(env).preview = { url: "preview.example" }), false],
  ])("%s", (_name, change, expected) => {
    expect(verdicts(variant(change))).toEqual({ zod: expected, schema: expected });
  });

  it.each<[string, (env: Env) => void, number]>([
    ["a check whose target is not in urls", (env) => void (check(env).target = "admin"), 0],
    ["two checks with the same name", (env) => void (health(env).checks = [check(env), { ...check(env) }]), 1],
    ["tls.warnDays below tls.failDays", (env) => void (health(env).tls = { warnDays: 1, failDays: 5 }), 2],
    ["a probe interval longer than the bake", (env) => void (deploy(env).strategy = { bakeTime: "1m", probeInterval: "2m" }), 3],
    ["a duration past 24 hours", (env) => void (health(env).timeout = "1500m"), 4],
    ["a progress deadline of zero", (env) => void (deploy(env).strategy = { progressDeadline: "0s" }), 4],
    ["an assert condition that does not parse", (env) => void (check(env).assert = ["$.status = 1"]), 5],
  ])("only hello-ci refuses %s (a rule the description names)", (_name, change, rule) => {
    expect(verdicts(variant(change))).toEqual({ zod: false, schema: true });
    expect(String(environmentsJsonSchema().description)).toContain(RULES_ONLY_HELLO_CI_CHECKS[rule]!);
  });
});
