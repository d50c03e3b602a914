/**
 * The environments configuration (ci/config/environments.yaml), version 1. Objects are strict: an unknown key is an
 * error naming the field. An environment's optional `deploy:` section (schemas/deploy.ts) is what deploys use.
 */
import { z } from "zod";
import { deploySchema } from "./deploy.js";
import { conditionSchema, countSchema, httpUrlSchema, percentileBudgetSchema, positiveDurationSchema, tlsPolicySchema } from "./primitives.js";

export const SUPPORTED_CONFIG_VERSION = 1;

const NAME = /^[a-z][a-z0-9-]*$/;

export const healthCheckConfigSchema = z
  .object({
    name: z.string().regex(NAME, "use lower-case letters, digits and dashes"),
    /** A key of `urls`: the base the path is appended to. */
    target: z.string(),
    path: z.string().startsWith("/", "must start with /"),
    method: z.enum(["GET", "HEAD"]).default("GET"),
    status: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
    /** Conditions on the body and headers, e.g. `$.status == "pass"`, `header["content-type"] contains "json"`. */
    assert: z.array(conditionSchema).default([]),
    /** Per-request latency budget; overrides health.budget. */
    budget: positiveDurationSchema.optional(),
    /** e.g. "p95 < 300ms", over health.samples requests. */
    percentile: percentileBudgetSchema.optional(),
  })
  .strict();

export const environmentHealthSchema = z
  .object({
    samples: countSchema.default(1),
    budget: positiveDurationSchema.optional(),
    timeout: positiveDurationSchema.optional(),
    tls: tlsPolicySchema.default({ warnDays: 21, failDays: 3 }),
    checks: z.array(healthCheckConfigSchema).min(1),
  })
  .strict();

export const environmentSchema = z
  .object({
    /** Public base URLs by role: frontend (the console) and backend (the API base, e.g. https://host/api). */
    urls: z.record(z.string().regex(NAME, "use lower-case letters, digits and dashes"), httpUrlSchema),
    health: environmentHealthSchema,
    /** Where and how `hello-ci deploy|rollback|status` work for this environment (schemas/deploy.ts). */
    deploy: deploySchema.optional(),
  })
  .strict()
  .superRefine((env, ctx) => {
    const targets = Object.keys(env.urls);
    env.health.checks.forEach((check, i) => {
      if (!targets.includes(check.target)) {
        ctx.addIssue({
          code: "custom",
          path: ["health", "checks", i, "target"],
          message: `unknown target ${JSON.stringify(check.target)}; urls defines ${targets.map((t) => JSON.stringify(t)).join(", ") || "none"}`,
        });
      }
    });
    const names = env.health.checks.map((c) => c.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: "custom", path: ["health", "checks", i, "name"], message: `duplicate check name ${JSON.stringify(name)}` });
    });
  });

export const environmentsConfigSchema = z
  .object({
    version: z.literal(SUPPORTED_CONFIG_VERSION, { error: `unsupported version; this hello-ci reads version ${SUPPORTED_CONFIG_VERSION}` }),
    environments: z.record(z.string().regex(NAME, "use lower-case letters, digits and dashes"), environmentSchema).refine((e) => Object.keys(e).length > 0, {
      message: "declare at least one environment",
    }),
  })
  .strict();

export type EnvironmentsConfig = z.infer<typeof environmentsConfigSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type HealthCheckConfig = z.infer<typeof healthCheckConfigSchema>;
