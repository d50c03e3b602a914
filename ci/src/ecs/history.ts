/**
 * The history of an ECS environment in SSM Parameter Store: one String parameter per revision,
 * `<path>/r000007`, holding the same JSON record as a Kubernetes ConfigMap (schemas/deploy-record.ts). Written when a
 * run starts (`running`) and again when it ends, read back by `status` with one GetParametersByPath.
 *
 * Why SSM and not the service itself: ECS keeps service deployments for a limited time and task-definition tags hold
 * 256 characters, while a record needs the version, digests, actor, times and reason of every run, kept as long as
 * the history limit says, readable with one call and writable with a permission scoped to one path per environment.
 * The task-definition revision each record put live is in the record, so `status` can tell when someone changed the
 * service outside the pipeline.
 */
import { ZodError } from "zod";
import { describeZodError } from "../errors.js";
import { deployRecordSchema, type DeployRecord } from "../schemas/deploy-record.js";
import type { EcsDeploy } from "../schemas/deploy.js";
import type { EcsApi } from "./aws.js";

/** Standard parameters hold 4 KB. */
const MAX_VALUE = 4096;

export function historyPath(config: EcsDeploy, env: string): string {
  return config.history.parameterPath ?? `/helloagents/deploy/${env}`;
}

export function recordName(path: string, revision: number): string {
  return `${path}/r${String(revision).padStart(6, "0")}`;
}

/** The record as stored: pretty JSON unless that is too long, then compact, then with a shortened reason. */
export function recordValue(record: DeployRecord): string {
  const pretty = `${JSON.stringify(record, null, 2)}\n`;
  if (Buffer.byteLength(pretty) <= MAX_VALUE) return pretty;
  const compact = JSON.stringify(record);
  if (Buffer.byteLength(compact) <= MAX_VALUE) return compact;
  const over = Buffer.byteLength(compact) - MAX_VALUE;
  return JSON.stringify({ ...record, reason: `${record.reason.slice(0, Math.max(0, record.reason.length - over - 20))} … (shortened)` });
}

export class EcsHistory {
  readonly path: string;

  constructor(
    private readonly api: EcsApi,
    config: EcsDeploy,
    env: string,
  ) {
    this.path = historyPath(config, env);
  }

  async read(): Promise<{ records: DeployRecord[]; unreadable: string[] }> {
    const parameters = await this.api.parameters(this.path);
    const records: DeployRecord[] = [];
    const unreadable: string[] = [];
    for (const p of parameters) {
      if (!/\/r\d+$/.test(p.Name ?? "")) continue;
      try {
        records.push(deployRecordSchema.parse(JSON.parse(p.Value ?? "")));
      } catch (error) {
        unreadable.push(`${p.Name}: ${error instanceof ZodError ? describeZodError(error, "record") : "not JSON"}`);
      }
    }
    return { records, unreadable };
  }

  async write(record: DeployRecord): Promise<void> {
    await this.api.putParameter(recordName(this.path, record.revision), recordValue(record), `hello-ci deploy record ${record.revision} of ${record.env}`);
  }

  async delete(revisions: number[]): Promise<void> {
    if (revisions.length > 0) await this.api.deleteParameters(revisions.map((r) => recordName(this.path, r)));
  }
}
