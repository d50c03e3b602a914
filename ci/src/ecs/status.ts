/** `status` of an ECS environment, read-only: the service, its live revision, the lock tag and the SSM history. */
import { BUSY_STATUSES, busyDeployments } from "../core/deploy/ecs-deployment.js";
import { lockDecision } from "../core/deploy/ecs-lock.js";
import type { EcsStatusView } from "../core/deploy/ecs-status.js";
import { imagesOf, tagValue, TAG } from "../core/deploy/ecs-task-definition.js";
import { byRevision, historyMetrics, liveRecord } from "../core/deploy/history.js";
import type { EcsApi } from "./aws.js";
import { EcsHistory } from "./history.js";

export async function readEcsStatus(api: EcsApi, env: string, now: Date): Promise<EcsStatusView> {
  const { config } = api;
  const history = new EcsHistory(api, config, env);
  const [service, { records, unreadable }] = await Promise.all([api.service(), history.read()]);
  const arn = service.taskDefinition ?? "";
  const [{ taskDefinition, tags }, serviceTags, busy] = await Promise.all([api.taskDefinition(arn), api.tags(service.serviceArn!), api.deployments(BUSY_STATUSES)]);
  const live = liveRecord(records);
  const lock = lockDecision(serviceTags, "", now);
  const running = busyDeployments(busy)[0];
  const version = tagValue(tags, TAG.version) ?? records.find((r) => r.taskDefinition === arn)?.version;
  const matches = live !== undefined && live.taskDefinition === arn;
  const since = live?.switchedAt ?? live?.finishedAt;
  return {
    schema: "helloagents/deploy-status@1",
    env,
    target: "ecs",
    service: { region: config.region, cluster: config.cluster, service: config.service, ...(service.serviceArn ? { arn: service.serviceArn } : {}) },
    live: {
      taskDefinition: arn,
      ...(version ? { version } : {}),
      images: imagesOf(taskDefinition, config),
      tasks: { desired: service.desiredCount ?? 0, running: service.runningCount ?? 0, pending: service.pendingCount ?? 0 },
      ...(running
        ? { deployment: { arn: running.serviceDeploymentArn ?? "", status: running.status ?? "", ...(running.lifecycleStage ? { stage: running.lifecycleStage } : {}), ...(running.createdAt ? { since: running.createdAt.toISOString() } : {}) } }
        : {}),
    },
    ...(matches ? { liveRevision: live.revision, ...(since ? { liveSince: since } : {}) } : {}),
    ...(lock.kind === "held" ? { lock: { holder: lock.holder, expiresAt: lock.expiresAt } } : {}),
    history: byRevision(records),
    metrics: historyMetrics(records),
    warnings: [
      ...unreadable.map((u) => `history record ignored: ${u}`),
      ...(live && !matches && !running ? [`the service runs ${arn.split("/").pop()}, not revision ${live.revision}'s ${live.taskDefinition?.split("/").pop() ?? "task definition"}: it was changed outside hello-ci`] : []),
    ],
  };
}
