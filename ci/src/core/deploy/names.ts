/**
 * What the deploy engine calls things in the cluster: the two apps, the two colours, and the name and labels of every
 * object it owns. One place, so the manifests, the engine and `status` can never disagree about a name.
 */

export const APPS = ["backend", "frontend"] as const;
export type App = (typeof APPS)[number];

export const COLOURS = ["blue", "green"] as const;
export type Colour = (typeof COLOURS)[number];

export function otherColour(colour: Colour): Colour {
  return colour === "blue" ? "green" : "blue";
}

/** Label and annotation keys. */
export const LABEL = {
  name: "app.kubernetes.io/name",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
  component: "app.kubernetes.io/component",
  colour: "helloagents.dev/colour",
  history: "helloagents.dev/history",
} as const;

export const ANNOTATION = {
  version: "helloagents.dev/version",
  revision: "helloagents.dev/revision",
  /** On the old colour's Deployments after a switch: when it may be scaled to zero (RFC 3339). */
  scaleDownAfter: "helloagents.dev/scale-down-after",
  /** On active Services: the colour a switch is moving to, written before the selectors flip. */
  switching: "helloagents.dev/switching-to",
} as const;

export const PART_OF = "helloagents";
export const MANAGER = "hello-ci";
/** Field manager for server-side apply: re-applying the same objects converges instead of conflicting. */
export const FIELD_MANAGER = "hello-ci";

export const PORTS: Record<App, number> = { backend: 8000, frontend: 8080 };

export const names = {
  /** `helloagents-backend`: the app name, and the name of its active Service. */
  app: (app: App) => `helloagents-${app}`,
  deployment: (app: App, colour: Colour) => `helloagents-${app}-${colour}`,
  activeService: (app: App) => `helloagents-${app}`,
  previewService: (app: App) => `helloagents-${app}-preview`,
  /** The backend of one colour, which that colour's frontend proxies /api/ to. */
  colourService: (app: App, colour: Colour) => `helloagents-${app}-${colour}`,
  migrationJob: (revision: number) => `helloagents-migrate-r${revision}`,
  pdb: (app: App) => `helloagents-${app}`,
  lease: "helloagents-deploy",
  record: (revision: number) => `helloagents-deploy-r${revision}`,
  networkPolicy: (what: string) => `helloagents-${what}`,
} as const;

/** Labels every object the engine owns carries. */
export function ownedLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { [LABEL.partOf]: PART_OF, [LABEL.managedBy]: MANAGER, ...extra };
}

/** The labels selecting one app's pods of one colour. */
export function podSelector(app: App, colour: Colour): Record<string, string> {
  return { [LABEL.name]: names.app(app), [LABEL.colour]: colour };
}
