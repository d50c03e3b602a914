/**
 * `hello-ci status` of an ECS environment: the same schema, history table and numbers as a Kubernetes one
 * (helloagents/deploy-status@1, report.ts renderHistory), with what ECS has instead of colours: the live
 * task-definition revision, its tasks, and a service deployment still in progress.
 */
import { renderHistory, type StatusCommon } from "./report.js";

export interface EcsLive {
  /** The task-definition revision the service runs (ARN). */
  taskDefinition: string;
  version?: string;
  images: { backend?: string; frontend?: string };
  tasks: { desired: number; running: number; pending: number };
  /** A service deployment still changing the service. */
  deployment?: { arn: string; status: string; stage?: string; since?: string };
}

export interface EcsStatusView extends StatusCommon {
  target: "ecs";
  service: { region: string; cluster: string; service: string; arn?: string };
  live: EcsLive;
}

export function renderEcsStatus(view: EcsStatusView): string {
  const { live } = view;
  const revision = live.taskDefinition.split("/").pop();
  const lines = [
    `# ${view.env} (ECS service ${view.service.service} in cluster ${view.service.cluster}, ${view.service.region})`,
    "",
    `Live: **${live.version ?? "unknown version"} (${revision}, ${live.tasks.running}/${live.tasks.desired} tasks running)**${view.liveRevision !== undefined ? `, revision ${view.liveRevision}` : ""}${view.liveSince ? ` since ${view.liveSince}` : ""}`,
  ];
  if (live.deployment) lines.push(`In progress: ${live.deployment.arn} ${live.deployment.status}${live.deployment.stage ? ` at ${live.deployment.stage}` : ""}${live.deployment.since ? ` since ${live.deployment.since}` : ""}`);
  lines.push(`Images: ${[live.images.backend, live.images.frontend].map((i) => `\`${i ?? "unknown"}\``).join(", ")}`);
  if (view.lock) lines.push(`Lock: held by ${view.lock.holder}${view.lock.expiresAt ? ` until ${view.lock.expiresAt}` : ""}`);
  lines.push(...renderHistory(view));
  return `${lines.join("\n")}\n`;
}
