/**
 * What `hello-ci deploy` and `hello-ci rollback` print with --json (schema helloagents/deploy-report@1), and what the
 * Markdown report and the webhook message are rendered from. The Dagger functions read `result` and `exitCode`.
 */
import { z } from "zod";
import { colourSchema } from "./deploy-record.js";

export const REPORT_SCHEMA = "helloagents/deploy-report@1";

export const runResultSchema = z.enum([
  /** Live and healthy: exit 0. */
  "deployed",
  /** Stopped before the switch; the live colour untouched: exit 1. */
  "rejected",
  /** Switched, failed the bake, flipped back and verified: exit 1. */
  "rolled-back",
  /** The lock is held by another run, or the cluster did not answer before anything changed: exit 3. */
  "unreachable",
  /** Failed and recovery did not complete: exit 4; `live` says what is serving. */
  "failed",
]);
export type RunResult = z.infer<typeof runResultSchema>;

export const EXIT_CODES: Record<RunResult, 0 | 1 | 3 | 4> = { deployed: 0, rejected: 1, "rolled-back": 1, unreachable: 3, failed: 4 };

export const stepResultSchema = z.object({
  name: z.string(),
  outcome: z.enum(["done", "skipped", "failed"]),
  detail: z.string(),
  durationMs: z.number().int().nonnegative(),
});
export type StepResult = z.infer<typeof stepResultSchema>;

export const liveSummarySchema = z.object({
  /** undefined when nothing is live yet, or when it could not be read. */
  colour: colourSchema.optional(),
  version: z.string().optional(),
  revision: z.number().int().optional(),
  images: z.object({ backend: z.string().optional(), frontend: z.string().optional() }).optional(),
  halfSwitched: z.boolean(),
  /** false when the cluster could not be read at the end: the values are the last ones seen. */
  confirmed: z.boolean(),
});
export type LiveSummary = z.infer<typeof liveSummarySchema>;

export const deployReportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  kind: z.enum(["deploy", "rollback"]),
  env: z.string(),
  revision: z.number().int().optional(),
  version: z.string(),
  images: z.object({ backend: z.string(), frontend: z.string() }),
  colour: colourSchema.optional(),
  method: z.enum(["flip", "redeploy"]).optional(),
  result: runResultSchema,
  exitCode: z.number().int(),
  reason: z.string(),
  live: liveSummarySchema,
  steps: z.array(stepResultSchema),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().int().nonnegative(),
  /** Warnings that did not change the result (a webhook that failed, a record that could not be pruned). */
  warnings: z.array(z.string()),
});
export type DeployReport = z.infer<typeof deployReportSchema>;
