/**
 * The JSON verdict of `hello-ci health-check` and `hello-ci smoke` (stdout with --json), and the bodies those
 * commands read from the platform. Pipelines and the deploy engine parse the verdict with `healthReportSchema`.
 */
import { z } from "zod";

export const severitySchema = z.enum(["warn", "fail"]);

export const verdictSchema = z.enum(["pass", "warn", "fail", "unreachable"]);

export const assertionResultSchema = z
  .object({
    /** What was looked at: `status`, `$.status`, `header["content-encoding"]`, `latency (ms)`, `tls.daysToExpiry`… */
    assertion: z.string(),
    /** The expectation as text: `== "pass"`, `in [200]`, `< 300`. */
    expected: z.string(),
    /** The value seen (JSON), or null when nothing was there to see (then `detail` says why). */
    observed: z.unknown(),
    ok: z.boolean(),
    /** What a failed assertion costs: `warn` keeps the verdict at warn, `fail` fails the check. */
    severity: severitySchema,
    detail: z.string().optional(),
  })
  .strict();

export const checkResultSchema = z
  .object({
    name: z.string(),
    url: z.string(),
    verdict: verdictSchema,
    attempts: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    assertions: z.array(assertionResultSchema),
    /** Per-sample request latencies, in order. */
    latenciesMs: z.array(z.number().nonnegative()),
    /** Set when no response came back: the transport failure of the last attempt. */
    error: z.object({ kind: z.string(), message: z.string() }).strict().optional(),
  })
  .strict();

/** `health-check --env` on an environment with a deploy: section: where its workloads were read, or why they were not. */
export const workloadsSummarySchema = z.discriminatedUnion("checked", [
  z.object({ checked: z.literal(true), namespace: z.string(), server: z.string() }).strict(),
  z.object({ checked: z.literal(false), reason: z.string() }).strict(),
]);

export const healthReportSchema = z
  .object({
    verdict: verdictSchema,
    checks: z.array(checkResultSchema),
    startedAt: z.iso.datetime(),
    durationMs: z.number().nonnegative(),
    workloads: workloadsSummarySchema.optional(),
  })
  .strict();

export type Severity = z.infer<typeof severitySchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type AssertionResult = z.infer<typeof assertionResultSchema>;
export type CheckResult = z.infer<typeof checkResultSchema>;
export type HealthReport = z.infer<typeof healthReportSchema>;
export type WorkloadsSummary = z.infer<typeof workloadsSummarySchema>;
