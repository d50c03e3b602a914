/**
 * What is live in an environment, read from the objects the engine owns: which colour the active Services select, the
 * version and images each colour's Deployments run, and how many replicas are ready. A deploy interrupted during the
 * switch can leave the two active Services on different colours ("half-switched"): that is named, and the colour the
 * last completed record says was live is the one to converge back to.
 */
import type { V1Deployment, V1Service } from "@kubernetes/client-node";
import { ANNOTATION, APPS, COLOURS, LABEL, type App, type Colour } from "./names.js";

export interface ColourState {
  colour: Colour;
  /** The release the colour's Deployments run (their version annotation), when both agree. */
  version?: string;
  images: Partial<Record<App, string>>;
  /** Desired and ready replicas per app (0 when the Deployment is missing). */
  replicas: Record<App, { desired: number; ready: number }>;
  /** When the engine may scale this colour to zero (set on the old colour after a switch). */
  scaleDownAfter?: string;
  /** Both apps' Deployments exist. */
  exists: boolean;
}

export interface LiveState {
  /** The colour both active Services select; undefined before the first deploy or when half-switched. */
  active?: Colour;
  /** The colour each active Service selects (undefined when the Service is missing). */
  services: Record<App, Colour | undefined>;
  /** The active Services disagree: an interrupted switch. */
  halfSwitched: boolean;
  colours: Record<Colour, ColourState>;
}

function isColour(value: unknown): value is Colour {
  return value === "blue" || value === "green";
}

/** The colour a Service's selector picks, if any. */
export function selectedColour(service: V1Service | undefined): Colour | undefined {
  const colour = service?.spec?.selector?.[LABEL.colour];
  return isColour(colour) ? colour : undefined;
}

function colourState(colour: Colour, deployments: Partial<Record<App, V1Deployment>>): ColourState {
  const versions = new Set(APPS.map((app) => deployments[app]?.metadata?.annotations?.[ANNOTATION.version]));
  const [version] = [...versions];
  const images: Partial<Record<App, string>> = {};
  const replicas = {} as ColourState["replicas"];
  for (const app of APPS) {
    const d = deployments[app];
    const image = d?.spec?.template?.spec?.containers?.[0]?.image;
    if (image) images[app] = image;
    replicas[app] = { desired: d?.spec?.replicas ?? 0, ready: d?.status?.readyReplicas ?? 0 };
  }
  const scaleDownAfter = APPS.map((app) => deployments[app]?.metadata?.annotations?.[ANNOTATION.scaleDownAfter]).find((v) => v !== undefined);
  return {
    colour,
    ...(versions.size === 1 && version ? { version } : {}),
    images,
    replicas,
    ...(scaleDownAfter ? { scaleDownAfter } : {}),
    exists: APPS.every((app) => deployments[app] !== undefined),
  };
}

/** Put together the live state from the active Services and the four Deployments. */
export function liveState(services: Partial<Record<App, V1Service>>, deployments: Record<Colour, Partial<Record<App, V1Deployment>>>): LiveState {
  const selected: LiveState["services"] = { backend: selectedColour(services.backend), frontend: selectedColour(services.frontend) };
  const agreed = selected.backend !== undefined && selected.backend === selected.frontend ? selected.backend : undefined;
  const halfSwitched = selected.backend !== selected.frontend;
  const colours = Object.fromEntries(COLOURS.map((c) => [c, colourState(c, deployments[c])])) as Record<Colour, ColourState>;
  return { ...(agreed ? { active: agreed } : {}), services: selected, halfSwitched, colours };
}

/** A colour is serving: every app has at least one ready replica, and all its desired replicas are ready. */
export function isServing(state: ColourState): boolean {
  return state.exists && APPS.every((app) => state.replicas[app].desired > 0 && state.replicas[app].ready >= state.replicas[app].desired);
}

/** One line for people: `blue v1.2.3 (backend 2/2, frontend 2/2)`. */
export function describeColour(state: ColourState): string {
  const counts = APPS.map((app) => `${app} ${state.replicas[app].ready}/${state.replicas[app].desired}`).join(", ");
  return `${state.colour} ${state.version ?? "(no version)"} (${counts})`;
}
