/**
 * The task-definition revision an ECS deploy registers: the live revision, as ECS describes it, with only the two
 * named containers' images replaced by digests (and the environment variables and secret references the
 * configuration names). Everything else (roles, CPU, memory, ports, logging, health checks, other containers) is
 * carried over as it is, so the new revision differs from the live one in exactly what this deploy is about; `diff`
 * proves that before anything is registered.
 */
import type { ContainerDefinition, KeyValuePair, RegisterTaskDefinitionCommandInput, Secret, Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import type { EcsDeploy } from "../../schemas/deploy.js";
import { APPS, type App } from "./names.js";

/** Tags every revision registered by a deploy carries (also how `status` knows the version of a live revision). */
export const TAG = {
  version: "helloagents:version",
  revision: "helloagents:revision",
  env: "helloagents:env",
  /** On the service: who holds the deploy lock, and until when. */
  lock: "helloagents:deploy-lock",
} as const;

/** The fields RegisterTaskDefinition takes; the rest of a described revision is ECS's (ARN, revision, status, dates). */
const REGISTRABLE = [
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
  "ephemeralStorage",
  "runtimePlatform",
  "enableFaultInjection",
] as const satisfies ReadonlyArray<keyof TaskDefinition & keyof RegisterTaskDefinitionCommandInput>;

export interface RevisionInput {
  env: string;
  version: string;
  /** Image per app, by digest. */
  images: Record<App, string>;
  /** The history revision this task-definition revision belongs to. */
  revision: number;
}

function mergeNamed<T extends { name?: string | undefined }>(live: readonly T[] | undefined, given: Record<string, string>, make: (name: string, value: string) => T): T[] | undefined {
  const names = Object.keys(given).sort();
  if (names.length === 0) return live ? [...live] : undefined;
  const kept = (live ?? []).filter((entry) => entry.name === undefined || !names.includes(entry.name));
  return [...kept, ...names.map((name) => make(name, given[name]!))];
}

/** The container of `app` in a task definition (by the configured name), or undefined. */
export function containerOf(td: Pick<TaskDefinition, "containerDefinitions"> | undefined, config: EcsDeploy, app: App): ContainerDefinition | undefined {
  return td?.containerDefinitions?.find((c) => c.name === config.containers[app].name);
}

/** The images the two named containers run. */
export function imagesOf(td: Pick<TaskDefinition, "containerDefinitions"> | undefined, config: EcsDeploy): Partial<Record<App, string>> {
  const out: Partial<Record<App, string>> = {};
  for (const app of APPS) {
    const image = containerOf(td, config, app)?.image;
    if (image) out[app] = image;
  }
  return out;
}

/** The value of one tag, if present. */
export function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.key === key)?.value;
}

/**
 * What to register: the live revision with the new images (and configured environment and secrets). Throws when the
 * live revision lacks a named container: the configuration and the service disagree, which is the user's to fix.
 */
export function nextRevision(live: TaskDefinition, config: EcsDeploy, input: RevisionInput): RegisterTaskDefinitionCommandInput {
  const containers = live.containerDefinitions ?? [];
  for (const app of APPS) {
    if (!containerOf(live, config, app)) {
      const found = containers.map((c) => c.name).join(", ") || "none";
      throw new Error(`the live task definition ${live.taskDefinitionArn ?? config.taskDefinitionFamily} has no container named ${JSON.stringify(config.containers[app].name)} (the ${app}); it has ${found}`);
    }
  }
  const containerDefinitions = containers.map((c) => {
    const app = APPS.find((a) => config.containers[a].name === c.name);
    if (!app) return c;
    const { environment, secrets } = config.containers[app];
    const next: ContainerDefinition = { ...c, image: input.images[app] };
    const env = mergeNamed<KeyValuePair>(c.environment, environment, (name, value) => ({ name, value }));
    const sec = mergeNamed<Secret>(c.secrets, secrets, (name, valueFrom) => ({ name, valueFrom }));
    if (env !== undefined) next.environment = env;
    if (sec !== undefined) next.secrets = sec;
    return next;
  });
  const out: RegisterTaskDefinitionCommandInput = { family: config.taskDefinitionFamily, containerDefinitions };
  for (const key of REGISTRABLE) {
    if (live[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = live[key];
  }
  out.tags = [
    { key: TAG.env, value: input.env },
    { key: TAG.version, value: input.version },
    { key: TAG.revision, value: String(input.revision) },
  ];
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Where two revisions differ, as dotted paths (`containers.backend.image`, `cpu`), ignoring ECS's own fields and tags.
 * Containers are compared by name, so a reordering is no difference.
 */
export function diff(a: Pick<TaskDefinition, "containerDefinitions"> & Partial<TaskDefinition>, b: RegisterTaskDefinitionCommandInput | TaskDefinition): string[] {
  const out: string[] = [];
  for (const key of [...REGISTRABLE, "family"] as const) {
    if (canonical(a[key]) !== canonical((b as Partial<TaskDefinition>)[key])) out.push(key);
  }
  const byName = (list: readonly ContainerDefinition[] | undefined) => new Map((list ?? []).map((c) => [c.name ?? "", c]));
  const left = byName(a.containerDefinitions);
  const right = byName(b.containerDefinitions);
  for (const name of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(name);
    const r = right.get(name);
    if (!l || !r) {
      out.push(`containers.${name}`);
      continue;
    }
    for (const field of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
      const lv = (l as Record<string, unknown>)[field];
      const rv = (r as Record<string, unknown>)[field];
      if (field === "environment" || field === "secrets") {
        const entries = (v: unknown) => new Map(((v as Array<{ name?: string; value?: string; valueFrom?: string }> | undefined) ?? []).map((e) => [e.name ?? "", e.value ?? e.valueFrom ?? ""]));
        const le = entries(lv);
        const re = entries(rv);
        for (const n of [...new Set([...le.keys(), ...re.keys()])].sort()) if (le.get(n) !== re.get(n)) out.push(`containers.${name}.${field}.${n}`);
      } else if (canonical(lv) !== canonical(rv)) {
        out.push(`containers.${name}.${field}`);
      }
    }
  }
  return out;
}

/** The differences a deploy may make: the two images, and the environment and secrets the configuration names. */
export function allowedDifferences(config: EcsDeploy): (path: string) => boolean {
  const allowed = new Set<string>();
  for (const app of APPS) {
    const { name, environment, secrets } = config.containers[app];
    allowed.add(`containers.${name}.image`);
    for (const key of Object.keys(environment)) allowed.add(`containers.${name}.environment.${key}`);
    for (const key of Object.keys(secrets)) allowed.add(`containers.${name}.secrets.${key}`);
  }
  return (path) => allowed.has(path);
}

/** The unexpected differences between the live revision and the one about to be registered (empty: safe). */
export function unexpectedDifferences(live: TaskDefinition, next: RegisterTaskDefinitionCommandInput | TaskDefinition, config: EcsDeploy): string[] {
  const ok = allowedDifferences(config);
  return diff(live, next).filter((path) => !ok(path));
}
