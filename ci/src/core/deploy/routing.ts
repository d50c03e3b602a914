/**
 * Does a Service route where it should? Its EndpointSlices (kubernetes.io/service-name) must hold, as ready endpoints,
 * exactly the ready pods of the colour it selects: no pod of the other colour, none missing. This proves the routing
 * the pre-switch smoke and the switch rely on, without sending traffic.
 */
import type { V1EndpointSlice, V1Pod } from "@kubernetes/client-node";

export interface Routing {
  ok: boolean;
  detail: string;
}

/** Ready addresses in a Service's EndpointSlices. */
export function readyEndpointAddresses(slices: readonly V1EndpointSlice[]): string[] {
  return slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses));
}

/** IPs of the pods that are Ready. */
export function readyPodIps(pods: readonly V1Pod[]): string[] {
  return pods
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .flatMap((p) => (p.status?.podIP ? [p.status.podIP] : []));
}

/** Compare a Service's ready endpoints with the pods it should route to. */
export function checkRouting(service: string, slices: readonly V1EndpointSlice[], pods: readonly V1Pod[], others: readonly V1Pod[] = []): Routing {
  const endpoints = new Set(readyEndpointAddresses(slices));
  const want = new Set(readyPodIps(pods));
  const foreign = new Set(others.flatMap((p) => (p.status?.podIP ? [p.status.podIP] : [])));
  const missing = [...want].filter((ip) => !endpoints.has(ip));
  const wrong = [...endpoints].filter((ip) => !want.has(ip));
  if (want.size === 0) return { ok: false, detail: `${service}: no ready pod to route to` };
  if (missing.length === 0 && wrong.length === 0) return { ok: true, detail: `${service} routes to exactly ${want.size} ready pod(s)` };
  const parts = [
    missing.length > 0 ? `${missing.length} ready pod(s) missing` : "",
    wrong.length > 0 ? `${wrong.length} endpoint(s) of other pods${wrong.some((ip) => foreign.has(ip)) ? " (the other colour)" : ""}` : "",
  ].filter((p) => p !== "");
  return { ok: false, detail: `${service}: ${parts.join(", ")}` };
}
