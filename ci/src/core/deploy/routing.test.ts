import type { V1EndpointSlice, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { checkRouting, readyEndpointAddresses, readyPodIps } from "./routing.js";

const SERVICE = "helloagents-backend-preview";

function pod(ip: string | undefined, ready = true, deleting = false): V1Pod {
  return {
    metadata: { name: `pod-${ip ?? "none"}`, ...(deleting ? { deletionTimestamp: new Date() } : {}) },
    status: { ...(ip ? { podIP: ip } : {}), conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  };
}

/** One EndpointSlice; `ready: undefined` leaves the condition out (the API's "unknown", which counts as ready). */
function slice(...endpoints: Array<{ ip: string; ready?: boolean }>): V1EndpointSlice {
  return {
    addressType: "IPv4",
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
  };
}

const green = [pod("10.244.1.1"), pod("10.244.1.2")];
const blue = [pod("10.244.0.1"), pod("10.244.0.2")];

describe("routing: a Service's endpoints against the pods it should reach", () => {
  it.each<[string, V1EndpointSlice[], V1Pod[], V1Pod[], { ok: boolean; detail: string }]>([
    ["exact match: ok", [slice({ ip: "10.244.1.1", ready: true }, { ip: "10.244.1.2", ready: true })], green, blue, { ok: true, detail: `${SERVICE} routes to exactly 2 ready pod(s)` }],
    ["exact match spread over two slices: ok", [slice({ ip: "10.244.1.1", ready: true }), slice({ ip: "10.244.1.2" })], green, blue, { ok: true, detail: `${SERVICE} routes to exactly 2 ready pod(s)` }],
    ["a ready pod not in the endpoints yet: not ok", [slice({ ip: "10.244.1.1", ready: true })], green, blue, { ok: false, detail: `${SERVICE}: 1 ready pod(s) missing` }],
    [
      "an endpoint of the other colour's pod: not ok, named",
      [slice({ ip: "10.244.1.1", ready: true }, { ip: "10.244.1.2", ready: true }, { ip: "10.244.0.1", ready: true })],
      green,
      blue,
      { ok: false, detail: `${SERVICE}: 1 endpoint(s) of other pods (the other colour)` },
    ],
    ["an endpoint of an unknown pod: not ok, not blamed on the other colour", [slice({ ip: "10.244.1.1" }, { ip: "10.244.1.2" }, { ip: "10.9.9.9" })], green, blue, { ok: false, detail: `${SERVICE}: 1 endpoint(s) of other pods` }],
    [
      "missing and foreign at once: both named",
      [slice({ ip: "10.244.1.1" }, { ip: "10.244.0.2" })],
      green,
      blue,
      { ok: false, detail: `${SERVICE}: 1 ready pod(s) missing, 1 endpoint(s) of other pods (the other colour)` },
    ],
    ["an endpoint marked not ready does not count", [slice({ ip: "10.244.1.1" }, { ip: "10.244.1.2" }, { ip: "10.244.0.1", ready: false })], green, blue, { ok: true, detail: `${SERVICE} routes to exactly 2 ready pod(s)` }],
    ["no ready pod to route to: not ok, even if the endpoints are empty too", [], [pod("10.244.1.1", false)], blue, { ok: false, detail: `${SERVICE}: no ready pod to route to` }],
    ["no pods at all: not ok", [slice({ ip: "10.244.0.1" })], [], blue, { ok: false, detail: `${SERVICE}: no ready pod to route to` }],
  ])("%s", (_name, slices, pods, others, expected) => {
    expect(checkRouting(SERVICE, slices, pods, others)).toEqual(expected);
  });
});

describe("routing: the addresses compared", () => {
  it("ready pod IPs leave out unready, terminating and address-less pods", () => {
    expect(readyPodIps([pod("10.0.0.1"), pod("10.0.0.2", false), pod("10.0.0.3", true, true), pod(undefined)])).toEqual(["10.0.0.1"]);
  });

  it("ready endpoint addresses keep unknown readiness and drop ready=false", () => {
    expect(readyEndpointAddresses([slice({ ip: "a", ready: true }, { ip: "b" }, { ip: "c", ready: false }), { addressType: "IPv4", endpoints: [] }])).toEqual(["a", "b"]);
  });
});
