/**
 * The history of an environment, Helm-style: one record per deploy or rollback, stored in the namespace as a ConfigMap
 * (`helloagents-deploy-r<N>`, data `record.json`), written when the run starts (`running`) and again when it ends, so a
 * killed run leaves a record that the next run marks `interrupted` instead of losing it. `status` reads them back.
 * On ECS the same records live in SSM Parameter Store (src/ecs/history.ts): they carry no colour (ECS names none) but
 * the task-definition revision and the ECS service deployment instead.
 */
import { z } from "zod";
import { rfc3339Schema } from "./primitives.js";

export const colourSchema = z.enum(["blue", "green"]);

export const RECORD_SCHEMA = "helloagents/deploy-record@1";

export const deployResultSchema = z.enum([
  /** Still running, or killed (a later run turns it into `interrupted`). */
  "running",
  /** Switched, baked and live. */
  "deployed",
  /** Stopped before the switch: the live colour was never touched. */
  "rejected",
  /** Switched, then flipped back automatically and verified. */
  "rolled-back",
  /** Failed, and recovery did not complete (exit 4), or the cluster stopped answering mid-way. */
  "failed",
  /** Found `running` by a later run that held the lock: the run died. */
  "interrupted",
]);
export type DeployResult = z.infer<typeof deployResultSchema>;

export const deployRecordSchema = z
  .object({
    schema: z.literal(RECORD_SCHEMA),
    revision: z.number().int().positive(),
    kind: z.enum(["deploy", "rollback"]),
    env: z.string(),
    version: z.string(),
    images: z.object({ backend: z.string(), frontend: z.string() }),
    commit: z.string().optional(),
    actor: z.string(),
    /** Kubernetes: the colour this revision was deployed to (or flipped to, for a rollback). Absent on ECS. */
    colour: colourSchema.optional(),
    /** ECS: the task-definition revision (ARN) this record put live, and the ECS service deployment that did it. */
    taskDefinition: z.string().optional(),
    serviceDeployment: z.string().optional(),
    /** What was live when the run started. */
    previous: z
      .object({ colour: colourSchema.optional(), taskDefinition: z.string().optional(), revision: z.number().int().optional(), version: z.string().optional() })
      .optional(),
    /** Rollbacks: the revision restored, and how (a selector flip, or a blue/green redeploy of its images). */
    rollbackTo: z.number().int().optional(),
    method: z.enum(["flip", "redeploy"]).optional(),
    startedAt: rfc3339Schema,
    /** When the active Services moved to this revision's colour, and when a failed switch was undone. */
    switchedAt: rfc3339Schema.optional(),
    restoredAt: rfc3339Schema.optional(),
    finishedAt: rfc3339Schema.optional(),
    durationMs: z.number().int().nonnegative().optional(),
    result: deployResultSchema,
    reason: z.string(),
  })
  .strict();

export type DeployRecord = z.infer<typeof deployRecordSchema>;
