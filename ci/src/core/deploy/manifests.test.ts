import type { V1Container, V1Deployment, V1Job, V1PodSpec, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubernetesDeploySchema, type KubernetesDeploy } from "../../schemas/deploy.js";
import { activeService, colourService, deployment, migrationJob, networkPolicies, previewService, renderAll, tagReference, type Manifest, type NetworkPolicy, type RenderInput } from "./manifests.js";

const BACKEND = "ghcr.io/acme/helloagents-backend@sha256:1111111111111111111111111111111111111111111111111111111111111111";
const FRONTEND = "ghcr.io/acme/helloagents-frontend@sha256:2222222222222222222222222222222222222222222222222222222222222222";

function config(extra: Record<string, unknown> = {}): KubernetesDeploy {
  return kubernetesDeploySchema.parse({
    target: "kubernetes",
    namespace: "helloagents-staging",
    images: { backend: "ghcr.io/acme/helloagents-backend", frontend: "ghcr.io/acme/helloagents-frontend" },
    runtimeSecret: { name: "helloagents-runtime", keys: ["DATABASE_URL"] },
    ...extra,
  });
}

const input = (colour: "blue" | "green" = "green"): RenderInput => ({ env: "staging", version: "v1.2.3", images: { backend: BACKEND, frontend: FRONTEND }, colour, revision: 7 });
const container = (d: V1Deployment | V1Job): V1Container => d.spec!.template.spec!.containers[0]!;
const podSpec = (d: V1Deployment | V1Job): V1PodSpec => d.spec!.template.spec!;

describe("manifests: Deployments", () => {
  const cfg = config();
  const backend = deployment(cfg, input(), "backend");
  const frontend = deployment(cfg, input(), "frontend");
  const job = migrationJob(cfg, input());

  it("uses digest images exactly as given, in the Deployments and the migration Job", () => {
    expect(container(backend).image).toBe(BACKEND);
    expect(container(frontend).image).toBe(FRONTEND);
    expect(container(job).image).toBe(BACKEND);
  });

  it("tag references for render-only use strip the v of the version", () => {
    expect(tagReference(cfg, "backend", "v1.2.3")).toBe("ghcr.io/acme/helloagents-backend:1.2.3");
  });

  it.each([
    ["backend Deployment", backend],
    ["frontend Deployment", frontend],
    ["migration Job", job],
  ])("%s: non-root, read-only root filesystem, no privilege escalation, no service-account token", (_name, object) => {
    const spec = podSpec(object);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext?.runAsNonRoot).toBe(true);
    const security = container(object).securityContext!;
    expect(security).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(security.runAsUser).toBeGreaterThan(0);
    // A read-only root filesystem still needs a writable /tmp, backed by an emptyDir of the pod.
    const mounts = container(object).volumeMounts!.map((m) => m.name);
    expect(mounts).toContain("tmp");
    expect(spec.volumes!.map((v) => v.name).sort()).toEqual([...new Set(mounts)].sort());
  });

  it("backend probes: started and alive on /health, ready on /health/db", () => {
    const c = container(backend);
    expect(c.startupProbe?.httpGet?.path).toBe("/health");
    expect(c.livenessProbe?.httpGet?.path).toBe("/health");
    expect(c.readinessProbe?.httpGet?.path).toBe("/health/db");
    expect(c.readinessProbe?.httpGet?.port).toBe("http");
    expect(c.ports).toEqual([{ name: "http", containerPort: 8000 }]);
  });

  it("frontend probes on /health", () => {
    const c = container(frontend);
    expect(c.livenessProbe?.httpGet?.path).toBe("/health");
    expect(c.readinessProbe?.httpGet?.path).toBe("/health");
  });

  it.each(["blue", "green"] as const)("the %s frontend proxies to its own colour's backend Service, which selects that colour's backend pods", (colour) => {
    const env = container(deployment(cfg, input(colour), "frontend")).env!;
    expect(env).toContainEqual({ name: "BACKEND_UPSTREAM", value: `helloagents-backend-${colour}:8000` });
    const svc = colourService(cfg, colour);
    expect(svc.metadata?.name).toBe(`helloagents-backend-${colour}`);
    expect(svc.spec?.selector).toEqual({ "app.kubernetes.io/name": "helloagents-backend", "helloagents.dev/colour": colour, "app.kubernetes.io/component": "server" });
  });

  it("the backend reads its settings from the runtime Secret and knows its version", () => {
    const c = container(backend);
    expect(c.envFrom).toEqual([{ secretRef: { name: "helloagents-runtime" } }]);
    expect(c.env).toContainEqual({ name: "APP_VERSION", value: "1.2.3" });
    expect(c.env).toContainEqual({ name: "ENVIRONMENT", value: "staging" });
    expect(container(deployment(cfg, { ...input(), env: "production" }, "backend")).env).toContainEqual({ name: "ENVIRONMENT", value: "production" });
  });

  it("name, selector, replicas and deadline come from the colour and the configuration", () => {
    const d = deployment(config({ apps: { backend: { replicas: 3 } }, strategy: { progressDeadline: "90s" } }), input("blue"), "backend");
    expect(d.metadata?.name).toBe("helloagents-backend-blue");
    expect(d.spec?.replicas).toBe(3);
    expect(d.spec?.progressDeadlineSeconds).toBe(90);
    expect(d.spec?.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "helloagents-backend", "helloagents.dev/colour": "blue", "app.kubernetes.io/component": "server" });
    expect(d.spec?.template.metadata?.labels).toMatchObject(d.spec!.selector.matchLabels!);
    expect(d.metadata?.annotations).toEqual({ "helloagents.dev/version": "v1.2.3", "helloagents.dev/revision": "7" });
  });
});

describe("manifests: pod annotations and labels from the configuration", () => {
  const cfg = config({
    podAnnotations: { "mesh.example/inject": "true", "log.example/format": "json", "helloagents.dev/version": "not-this" },
    podLabels: { team: "agents", "helloagents.dev/colour": "red" },
    apps: { backend: { podAnnotations: { "log.example/format": "text", "helloagents.test/behavior": "crash" } } },
  });

  it("per-app podAnnotations are merged after the environment's (the app wins a shared key)", () => {
    const annotations = deployment(cfg, input(), "backend").spec!.template.metadata!.annotations!;
    expect(annotations["mesh.example/inject"]).toBe("true");
    expect(annotations["log.example/format"]).toBe("text");
    expect(annotations["helloagents.test/behavior"]).toBe("crash");
  });

  it("the other app keeps only the environment's annotations", () => {
    const annotations = deployment(cfg, input(), "frontend").spec!.template.metadata!.annotations!;
    expect(annotations["log.example/format"]).toBe("json");
    expect(annotations).not.toHaveProperty("helloagents.test/behavior");
  });

  it("the engine's own version annotation and selector labels cannot be overridden", () => {
    const template = deployment(cfg, input("green"), "backend").spec!.template.metadata!;
    expect(template.annotations!["helloagents.dev/version"]).toBe("v1.2.3");
    expect(template.labels!["helloagents.dev/colour"]).toBe("green");
    expect(template.labels!.team).toBe("agents");
  });
});

describe("manifests: active and preview Services", () => {
  const cfg = config();
  const selectorOf = (s: V1Service) => s.spec!.selector!;

  it.each([
    ["active", activeService(cfg, "frontend", "blue"), "helloagents-frontend", "blue"],
    ["preview", previewService(cfg, "frontend", "green"), "helloagents-frontend-preview", "green"],
    ["active backend", activeService(cfg, "backend", "green"), "helloagents-backend", "green"],
    ["preview backend", previewService(cfg, "backend", "blue"), "helloagents-backend-preview", "blue"],
  ])("the %s Service is named for its role and selects exactly one colour's server pods", (_role, svc, name, colour) => {
    expect(svc.metadata?.name).toBe(name);
    expect(selectorOf(svc)["helloagents.dev/colour"]).toBe(colour);
    expect(selectorOf(svc)["app.kubernetes.io/component"]).toBe("server");
    expect(svc.spec?.ports?.[0]?.targetPort).toBe("http");
  });

  it("a Deployment's pods match the Service of their colour and not the other", () => {
    const labels = deployment(cfg, input("green"), "frontend").spec!.template.metadata!.labels!;
    const matches = (s: V1Service) => Object.entries(selectorOf(s)).every(([k, v]) => labels[k] === v);
    expect(matches(previewService(cfg, "frontend", "green"))).toBe(true);
    expect(matches(activeService(cfg, "frontend", "blue"))).toBe(false);
  });
});

describe("manifests: NetworkPolicies", () => {
  const policies = (extra: Record<string, unknown> = {}) => networkPolicies(config(extra));
  const named = (list: NetworkPolicy[], name: string) => list.find((p) => p.metadata.name === `helloagents-${name}`)!;

  it("ingress peers are written `from` (what the API server reads), never client-node's `_from`", () => {
    const text = JSON.stringify(policies({ dependencies: { postgres: { port: 5432, podLabels: { app: "pg" } } } }));
    expect(text).not.toContain("_from");
    expect(named(policies(), "backend").spec.ingress?.[0]).toHaveProperty("from");
  });

  it("default deny for every pod of the app, both directions", () => {
    expect(named(policies(), "default-deny").spec).toEqual({ podSelector: { matchLabels: { "app.kubernetes.io/part-of": "helloagents" } }, policyTypes: ["Ingress", "Egress"] });
  });

  it("only the frontend reaches the backend, on its port", () => {
    expect(named(policies(), "backend").spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "helloagents-frontend" } } }], ports: [{ protocol: "TCP", port: 8000 }] }]);
  });

  it("dependencies in the cluster are reached by pod labels and accept only the backend", () => {
    const list = policies({ dependencies: { postgres: { port: 5432, podLabels: { "app.kubernetes.io/name": "postgresql" } } } });
    expect(named(list, "backend").spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "postgresql" } } }], ports: [{ protocol: "TCP", port: 5432 }] }]);
    expect(named(list, "postgres-from-backend").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "postgresql" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "helloagents-backend" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
    });
  });

  it("dependencies outside the cluster are reached by CIDR, with no policy of their own", () => {
    const list = policies({ dependencies: { redis: { port: 6379, cidrs: ["10.1.0.0/24", "10.2.0.5/32"] } } });
    expect(named(list, "backend").spec.egress).toEqual([{ to: [{ ipBlock: { cidr: "10.1.0.0/24" } }, { ipBlock: { cidr: "10.2.0.5/32" } }], ports: [{ protocol: "TCP", port: 6379 }] }]);
    expect(list.map((p) => p.metadata.name)).not.toContain("helloagents-redis-from-backend");
  });

  it("without dependencies the backend may reach nothing but DNS", () => {
    const list = policies();
    expect(named(list, "backend").spec.egress).toEqual([]);
    expect(named(list, "dns").spec.egress?.[0]?.ports).toEqual([{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
  });

  it("the frontend accepts the ingress controller's namespace only when one is named, every namespace otherwise", () => {
    expect(named(policies({ ingressNamespace: "ingress-nginx" }), "frontend").spec.ingress?.[0]?.from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
    expect(named(policies(), "frontend").spec.ingress?.[0]?.from).toEqual([{ namespaceSelector: {} }]);
  });
});

describe("manifests: everything render prints", () => {
  const all: Manifest[] = renderAll(config(), input("green"));
  const ids = all.map((m) => `${m.kind}/${m.metadata!.name}`);

  it("in apply order: migration Job, Deployments, active Services, preview and colour Services, policies, budgets", () => {
    expect(ids).toEqual([
      "Job/helloagents-migrate-r7",
      "Deployment/helloagents-backend-green",
      "Deployment/helloagents-frontend-green",
      "Service/helloagents-backend",
      "Service/helloagents-frontend",
      "Service/helloagents-backend-preview",
      "Service/helloagents-frontend-preview",
      "Service/helloagents-backend-blue",
      "Service/helloagents-backend-green",
      "NetworkPolicy/helloagents-default-deny",
      "NetworkPolicy/helloagents-dns",
      "NetworkPolicy/helloagents-frontend",
      "NetworkPolicy/helloagents-backend",
      "PodDisruptionBudget/helloagents-backend",
      "PodDisruptionBudget/helloagents-frontend",
    ]);
  });

  it("every object is in the environment's namespace and marked as managed by hello-ci", () => {
    for (const m of all) {
      expect(m.metadata!.namespace, `${m.kind}/${m.metadata!.name}`).toBe("helloagents-staging");
      expect(m.metadata!.labels?.["app.kubernetes.io/managed-by"], `${m.kind}/${m.metadata!.name}`).toBe("hello-ci");
    }
  });

  it("the migration Job runs python -m app.migrate once, within the progress deadline", () => {
    const job = all[0] as V1Job;
    expect(container(job).command).toEqual(["python", "-m", "app.migrate"]);
    expect(job.spec?.backoffLimit).toBe(1);
    expect(job.spec?.activeDeadlineSeconds).toBe(300);
    expect(podSpec(job).restartPolicy).toBe("Never");
  });
});
