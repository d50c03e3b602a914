/**
 * The JSON Schema of ci/config/environments.yaml for editors (ci/json-schemas/environments.schema.json), generated from
 * the zod schema with zod 4's `z.toJSONSchema` on the input side: what people write (durations as `"5s"`, defaults
 * shown), not what hello-ci computes from it. `npm run schemas` writes the file; a test fails when it drifts.
 *
 * zod cannot see through its transforms, so the few building blocks that parse text say here what text they take:
 * durations need a unit (a bare number is refused), URLs are http(s), percentile budgets read `p95 < 300ms`, resource
 * quantities follow Kubernetes. Rules across fields stay with hello-ci and are named in the schema's description.
 */
import { z } from "zod";
import { appDeploySchema, kubernetesDeploySchema } from "../../schemas/deploy.js";
import { environmentsConfigSchema } from "../../schemas/environments.js";
import { durationSchema, httpUrlSchema, percentileBudgetSchema, positiveDurationSchema } from "../../schemas/primitives.js";

/** Where the committed file lives, relative to ci/. */
export const ENVIRONMENTS_SCHEMA_FILE = "json-schemas/environments.schema.json";

/** What only hello-ci checks (an editor cannot): said in the schema's description. */
export const RULES_ONLY_HELLO_CI_CHECKS = [
  "every health check's target is a key of urls",
  "health check names are unique within an environment",
  "tls.warnDays is at least tls.failDays",
  "strategy.probeInterval is at most strategy.bakeTime",
  "durations are at most 24 hours (1440m), and progressDeadline, probeInterval, lockDuration, pollInterval and health timeouts are above zero",
  "assert conditions parse (subject, operator, JSON literal)",
  "on ECS, strategy.bakeTime and strategy.hookTimeout are whole minutes and the backend and frontend containers have different names",
];

const DURATION = "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)\\s*$";
const durationJson = { type: "string", pattern: DURATION, description: "a duration with a unit: 250ms, 5s, 2m (at most 1440m)" };
const urlJson = { type: "string", format: "uri", pattern: "^https?://", description: "an http:// or https:// URL" };
const percentileJson = {
  type: "string",
  pattern: `^\\s*p(\\d{1,2}(\\.\\d+)?|100)\\s*<\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)\\s*$`,
  description: 'a percentile budget over the samples, e.g. "p95 < 300ms"',
};
const quantityJson = {
  type: ["string", "number"],
  pattern: "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$",
  minimum: 0,
  description: "a Kubernetes quantity: 100m, 0.5, 256Mi, 1G",
};

/** Formats JSON Schema validators know; zod's own (`starts_with`, `cidrv4`) are dropped, their pattern stays. */
const STANDARD_FORMATS = new Set(["uri", "email", "date-time", "date", "time", "hostname", "ipv4", "ipv6", "uuid"]);

/** The zod schemas behind the transforms above, found through the exported schemas (no internals). */
function replacements(): Map<unknown, object> {
  const resources = appDeploySchema.shape.resources.unwrap();
  const quantity = resources.shape.requests.unwrap().shape.cpu.unwrap();
  return new Map<unknown, object>([
    [durationSchema, durationJson],
    [positiveDurationSchema, durationJson],
    [httpUrlSchema, urlJson],
    [percentileBudgetSchema, percentileJson],
    [quantity, quantityJson],
  ]);
}

/** A dependency is in the cluster (podLabels) or outside it (cidrs), never both: said as oneOf/required. */
function dependencySchemas(): Set<unknown> {
  const dependencies = kubernetesDeploySchema.shape.dependencies.unwrap().shape;
  return new Set([dependencies.postgres.unwrap(), dependencies.redis.unwrap()]);
}

/** The JSON Schema object (draft-07, which every YAML editor plugin reads). */
export function environmentsJsonSchema(): Record<string, unknown> {
  const replace = replacements();
  const dependencies = dependencySchemas();
  const generated = z.toJSONSchema(environmentsConfigSchema, {
    io: "input",
    target: "draft-07",
    override: ({ zodSchema, jsonSchema }) => {
      const json = jsonSchema as Record<string, unknown>;
      const replacement = replace.get(zodSchema);
      if (replacement) {
        const kept = "default" in json ? { default: json.default } : {};
        for (const key of Object.keys(json)) delete json[key];
        Object.assign(json, replacement, kept);
      }
      if (typeof json.format === "string" && !STANDARD_FORMATS.has(json.format)) delete json.format;
      if (dependencies.has(zodSchema)) json.oneOf = [{ required: ["podLabels"] }, { required: ["cidrs"] }];
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $comment: "Generated from ci/src/schemas/environments.ts by `cd ci && npm run schemas`; do not edit by hand.",
    title: "HelloAgents environments (ci/config/environments.yaml)",
    description: `Environments for hello-ci health-check, smoke, deploy, rollback and status. hello-ci also checks what a schema cannot: ${RULES_ONLY_HELLO_CI_CHECKS.join("; ")}.`,
    ...rest,
  };
}

/** The file's text: two-space JSON with a final newline. */
export function environmentsJsonSchemaText(): string {
  return `${JSON.stringify(environmentsJsonSchema(), null, 2)}\n`;
}
