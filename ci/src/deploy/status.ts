/**
 * `status`: what is live and since when, the idle colour, the lock, the history and its numbers. Read-only.
 * `scaleDown`: scale the old colour to zero once its scale-down delay has passed (or at once with `now`).
 */
import { byRevision, historyMetrics, liveRecord } from "../core/deploy/history.js";
import { leaseDecision, type Lease } from "../core/deploy/lease.js";
import { otherColour } from "../core/deploy/names.js";
import type { StatusView } from "../core/deploy/report.js";
import type { KubeObject } from "../kube/client.js";
import { refs, type EnvironmentCluster } from "./cluster.js";

export async function readStatus(cluster: EnvironmentCluster, env: string, now: Date): Promise<StatusView> {
  const [{ state }, { records, unreadable }, lease] = await Promise.all([
    cluster.live(),
    cluster.readRecords(),
    cluster.kube.get<Lease & KubeObject>(refs.lease(cluster.namespace)),
  ]);
  const live = liveRecord(records);
  const lock = leaseDecision(lease, "", now);
  const since = live?.switchedAt ?? live?.finishedAt;
  return {
    schema: "helloagents/deploy-status@1",
    env,
    namespace: cluster.namespace,
    live: state,
    ...(live && live.colour === state.active ? { liveRevision: live.revision, ...(since ? { liveSince: since } : {}) } : {}),
    ...(lock.kind === "held" ? { lock: { holder: lock.holder, expiresAt: lock.expiresAt } } : {}),
    history: byRevision(records),
    metrics: historyMetrics(records),
    warnings: [
      ...unreadable.map((u) => `history record ignored: ${u}`),
      ...(state.halfSwitched ? ["the active Services select different colours (an interrupted switch): the next deploy or rollback converges them"] : []),
    ],
  };
}

/** Scale the idle colour to zero when its delay is over (or `force`); returns what was done, in words. */
export async function scaleDownIdle(cluster: EnvironmentCluster, now: Date, force: boolean): Promise<string> {
  const { state } = await cluster.live();
  if (!state.active) return "nothing is live: nothing to scale down";
  const idle = otherColour(state.active);
  const colour = state.colours[idle];
  const running = colour.replicas.backend.desired + colour.replicas.frontend.desired;
  if (!colour.exists || running === 0) return `${idle} is already scaled to zero`;
  const due = colour.scaleDownAfter ? Date.parse(colour.scaleDownAfter) : Number.NaN;
  if (!force && Number.isFinite(due) && due > now.getTime()) return `${idle} is kept for a flip rollback until ${colour.scaleDownAfter}: nothing done (--now scales it down anyway)`;
  await cluster.scale(idle, { backend: 0, frontend: 0 });
  await cluster.markScaleDown(idle, undefined);
  return `${idle} (${colour.version ?? "no version"}) scaled to zero; a rollback is now a redeploy`;
}
