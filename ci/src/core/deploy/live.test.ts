import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { describeColour, isServing, liveState, selectedColour, type ColourState } from "./live.js";
import type { App, Colour } from "./names.js";

const service = (colour?: string): V1Service => ({ metadata: { name: "svc" }, spec: { selector: { "app.kubernetes.io/name": "x", ...(colour ? { "helloagents.dev/colour": colour } : {}) } } });

interface DeploymentSpec {
  version?: string;
  image?: string;
  replicas?: number;
  ready?: number;
  scaleDownAfter?: string;
}

function dep(app: App, colour: Colour, s: DeploymentSpec = {}): V1Deployment {
  const annotations: Record<string, string> = {};
  if (s.version) annotations["helloagents.dev/version"] = s.version;
  if (s.scaleDownAfter) annotations["helloagents.dev/scale-down-after"] = s.scaleDownAfter;
  return {
    metadata: { name: `helloagents-${app}-${colour}`, annotations },
    spec: { replicas: s.replicas ?? 2, selector: {}, template: { spec: { containers: [{ name: app, image: s.image ?? `ghcr.io/acme/${app}@sha256:${colour}` }] } } },
    status: { readyReplicas: s.ready ?? s.replicas ?? 2 },
  };
}

const both = (colour: Colour, s: DeploymentSpec = {}) => ({ backend: dep("backend", colour, s), frontend: dep("frontend", colour, s) });
const none = { blue: {}, green: {} };

describe("live: which colour the active Services select", () => {
  it.each<[string, Partial<Record<App, V1Service>>, { active?: Colour; halfSwitched: boolean; services: Record<App, Colour | undefined> }]>([
    ["both on blue: blue is active", { backend: service("blue"), frontend: service("blue") }, { active: "blue", halfSwitched: false, services: { backend: "blue", frontend: "blue" } }],
    ["both on green: green is active", { backend: service("green"), frontend: service("green") }, { active: "green", halfSwitched: false, services: { backend: "green", frontend: "green" } }],
    ["backend moved, frontend not: half-switched, nothing active", { backend: service("green"), frontend: service("blue") }, { halfSwitched: true, services: { backend: "green", frontend: "blue" } }],
    ["only the backend Service exists (first switch interrupted): half-switched", { backend: service("blue") }, { halfSwitched: true, services: { backend: "blue", frontend: undefined } }],
    ["no Services (never deployed): nothing active, not half-switched", {}, { halfSwitched: false, services: { backend: undefined, frontend: undefined } }],
    ["Services without a colour selector: nothing active", { backend: service(), frontend: service() }, { halfSwitched: false, services: { backend: undefined, frontend: undefined } }],
    ["an unknown colour value is no colour", { backend: service("red"), frontend: service("red") }, { halfSwitched: false, services: { backend: undefined, frontend: undefined } }],
  ])("%s", (_name, services, expected) => {
    const state = liveState(services, none);
    expect({ active: state.active, halfSwitched: state.halfSwitched, services: state.services }).toEqual(expected);
    expect("active" in state).toBe(expected.active !== undefined);
  });

  it("selectedColour reads the colour label of a selector, and nothing from a missing Service", () => {
    expect(selectedColour(service("green"))).toBe("green");
    expect(selectedColour(undefined)).toBeUndefined();
  });
});

describe("live: what each colour runs", () => {
  it("reads version, images and replicas of each colour's Deployments", () => {
    const state = liveState(
      { backend: service("blue"), frontend: service("blue") },
      { blue: both("blue", { version: "v1.0.0", replicas: 2, ready: 2 }), green: both("green", { version: "v1.1.0", replicas: 2, ready: 1 }) },
    );
    expect(state.colours.blue).toEqual({
      colour: "blue",
      version: "v1.0.0",
      images: { backend: "ghcr.io/acme/backend@sha256:blue", frontend: "ghcr.io/acme/frontend@sha256:blue" },
      replicas: { backend: { desired: 2, ready: 2 }, frontend: { desired: 2, ready: 2 } },
      exists: true,
    });
    expect(state.colours.green.version).toBe("v1.1.0");
    expect(state.colours.green.replicas.backend).toEqual({ desired: 2, ready: 1 });
  });

  it.each<[string, Partial<Record<App, V1Deployment>>, string | undefined]>([
    ["the apps disagree on the version: no version", { backend: dep("backend", "blue", { version: "v1.0.0" }), frontend: dep("frontend", "blue", { version: "v1.1.0" }) }, undefined],
    ["one app has no version annotation: no version", { backend: dep("backend", "blue", { version: "v1.0.0" }), frontend: dep("frontend", "blue") }, undefined],
    ["one app's Deployment is missing: no version", { backend: dep("backend", "blue", { version: "v1.0.0" }) }, undefined],
    ["both agree: that version", both("blue", { version: "v2.0.0" }), "v2.0.0"],
  ])("%s", (_name, deployments, version) => {
    expect(liveState({}, { blue: deployments, green: {} }).colours.blue.version).toBe(version);
  });

  it("a missing Deployment counts zero replicas, no image, and the colour does not exist", () => {
    const blue = liveState({}, { blue: { backend: dep("backend", "blue") }, green: {} }).colours.blue;
    expect(blue.exists).toBe(false);
    expect(blue.images).toEqual({ backend: "ghcr.io/acme/backend@sha256:blue" });
    expect(blue.replicas.frontend).toEqual({ desired: 0, ready: 0 });
  });

  it("a Deployment without a ready count has zero ready", () => {
    const d = dep("backend", "blue");
    delete d.status;
    expect(liveState({}, { blue: { backend: d }, green: {} }).colours.blue.replicas.backend).toEqual({ desired: 2, ready: 0 });
  });

  it("carries the old colour's scale-down time", () => {
    const green = liveState({}, { blue: {}, green: both("green", { scaleDownAfter: "2026-01-31T12:30:00Z" }) }).colours.green;
    expect(green.scaleDownAfter).toBe("2026-01-31T12:30:00Z");
    expect(liveState({}, { blue: {}, green: both("green") }).colours.green).not.toHaveProperty("scaleDownAfter");
  });
});

describe("live: is a colour serving", () => {
  const colour = (backend: [number, number], frontend: [number, number], exists = true): ColourState => ({
    colour: "blue",
    images: {},
    replicas: { backend: { desired: backend[0], ready: backend[1] }, frontend: { desired: frontend[0], ready: frontend[1] } },
    exists,
  });

  it.each<[string, ColourState, boolean]>([
    ["all desired replicas ready: serving", colour([2, 2], [1, 1]), true],
    ["more ready than desired (a rollout settling): serving", colour([2, 3], [1, 1]), true],
    ["one app short of ready replicas: not serving", colour([2, 1], [1, 1]), false],
    ["scaled to zero: not serving", colour([0, 0], [0, 0]), false],
    ["one app scaled to zero: not serving", colour([2, 2], [0, 0]), false],
    ["a Deployment missing: not serving", colour([2, 2], [1, 1], false), false],
  ])("%s", (_name, state, expected) => {
    expect(isServing(state)).toBe(expected);
  });

  it("describes a colour in one line", () => {
    expect(describeColour({ ...colour([2, 2], [2, 1]), version: "v1.2.3" })).toBe("blue v1.2.3 (backend 2/2, frontend 1/2)");
    expect(describeColour(colour([0, 0], [0, 0]))).toBe("blue (no version) (backend 0/0, frontend 0/0)");
  });
});
