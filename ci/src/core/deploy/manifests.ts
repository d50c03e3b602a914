/**
 * The Kubernetes objects of one environment, rendered from its `deploy:` section (pure: no cluster access). A deploy
 * applies them with server-side apply; `hello-ci render` prints them.
 *
 * Per app and colour a Deployment; per app an active Service (the one users reach) and a preview Service (the idle
 * colour, for the pre-switch smoke); per colour a backend Service, which that colour's frontend proxies `/api/` to, so
 * a green console never talks to a blue API; the alembic migration Job; NetworkPolicies (default deny for the app's
 * pods, DNS, frontend → backend, backend → PostgreSQL and Redis only); a PodDisruptionBudget per app.
 */
import type {
  V1Container,
  V1Deployment,
  V1Job,
  V1LabelSelector,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
  V1ObjectMeta,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1SecurityContext,
  V1Service,
} from "@kubernetes/client-node";
import type { AppDeploy, KubernetesDeploy } from "../../schemas/deploy.js";
import { ANNOTATION, APPS, LABEL, PORTS, names, ownedLabels, podSelector, type App, type Colour } from "./names.js";

/**
 * A NetworkPolicy as the API server reads it. client-node's model names the ingress peers `_from` (its serializer
 * renames them); manifests here are plain JSON for server-side apply and YAML output, so they say `from`.
 */
export interface NetworkPolicy {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: V1ObjectMeta;
  spec: {
    podSelector: V1LabelSelector;
    policyTypes: Array<"Ingress" | "Egress">;
    ingress?: Array<{ from?: V1NetworkPolicyPeer[]; ports?: V1NetworkPolicyPort[] }>;
    egress?: Array<{ to?: V1NetworkPolicyPeer[]; ports?: V1NetworkPolicyPort[] }>;
  };
}

export type Manifest = V1Deployment | V1Service | V1Job | NetworkPolicy | V1PodDisruptionBudget;

/** What one render needs besides the environment's configuration. */
export interface RenderInput {
  /** Environment name, e.g. `staging`. */
  env: string;
  /** The release, `v1.2.3`. */
  version: string;
  /** Image reference per app: `repo@sha256:…` on a deploy (never a bare tag), `repo:1.2.3` when only rendered. */
  images: Record<App, string>;
  /** The colour the Deployments are rendered for. */
  colour: Colour;
  /** The deploy record's revision, naming the migration Job. */
  revision: number;
}

const SERVER = "server";
const MIGRATION = "migration";

/** `v1.2.3` → `1.2.3` (the image tag). */
export function tagOf(version: string): string {
  return version.replace(/^v/, "");
}

/** The tag reference of an app's image for a version: `ghcr.io/acme/helloagents-backend:1.2.3`. */
export function tagReference(config: KubernetesDeploy, app: App, version: string): string {
  return `${config.images[app]}:${tagOf(version)}`;
}

/** The value of ENVIRONMENT the backend runs with: its settings know development, test, staging and production. */
export function backendEnvironment(env: string): string {
  return env === "production" ? "production" : "staging";
}

const containerSecurity = (uid: number): V1SecurityContext => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: uid,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
});

/** The backend container: uid 10001 (backend/Dockerfile), settings from the runtime Secret, probes on its health endpoints. */
function backendContainer(config: KubernetesDeploy, input: RenderInput, resources: AppDeploy["resources"]): V1Container {
  return {
    name: "backend",
    image: input.images.backend,
    ports: [{ name: "http", containerPort: PORTS.backend }],
    env: [
      { name: "ENVIRONMENT", value: backendEnvironment(input.env) },
      { name: "APP_VERSION", value: tagOf(input.version) },
    ],
    envFrom: [{ secretRef: { name: config.runtimeSecret.name } }],
    resources,
    startupProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: "/health/db", port: "http" }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    securityContext: containerSecurity(10001),
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

/** The frontend container: unprivileged nginx (uid 101) proxying /api/ to its own colour's backend. */
function frontendContainer(input: RenderInput, resources: AppDeploy["resources"]): V1Container {
  return {
    name: "frontend",
    image: input.images.frontend,
    ports: [{ name: "http", containerPort: PORTS.frontend }],
    env: [{ name: "BACKEND_UPSTREAM", value: `${names.colourService("backend", input.colour)}:${PORTS.backend}` }],
    resources,
    livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    securityContext: containerSecurity(101),
    // The image's entrypoint renders its nginx template into conf.d at start, and nginx keeps pid and temp files in /tmp.
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      { name: "conf", mountPath: "/etc/nginx/conf.d" },
    ],
  };
}

function podSpec(containers: V1Container[], extra: Partial<V1PodSpec> = {}): V1PodSpec {
  const volumes = [...new Set(containers.flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)))].map((name) => ({ name, emptyDir: {} }));
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    terminationGracePeriodSeconds: 30,
    containers,
    volumes,
    ...extra,
  };
}

/** One app's Deployment of one colour. */
export function deployment(config: KubernetesDeploy, input: RenderInput, app: App): V1Deployment {
  const settings = config.apps[app];
  const selector = { ...podSelector(app, input.colour), [LABEL.component]: SERVER };
  const container = app === "backend" ? backendContainer(config, input, settings.resources) : frontendContainer(input, settings.resources);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: names.deployment(app, input.colour),
      namespace: config.namespace,
      labels: ownedLabels(selector),
      annotations: { [ANNOTATION.version]: input.version, [ANNOTATION.revision]: String(input.revision) },
    },
    spec: {
      replicas: settings.replicas,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: Math.ceil(config.strategy.progressDeadline / 1000),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...config.podLabels, ...ownedLabels(selector) },
          annotations: { ...config.podAnnotations, ...settings.podAnnotations, [ANNOTATION.version]: input.version },
        },
        spec: podSpec([container]),
      },
    },
  };
}

function service(config: KubernetesDeploy, name: string, app: App, colour: Colour, role: string): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: config.namespace, labels: ownedLabels({ [LABEL.name]: names.app(app), [LABEL.component]: role }) },
    spec: {
      type: "ClusterIP",
      selector: { ...podSelector(app, colour), [LABEL.component]: SERVER },
      ports: [{ name: "http", port: PORTS[app], targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** The Service users reach, selecting the active colour. */
export function activeService(config: KubernetesDeploy, app: App, colour: Colour): V1Service {
  return service(config, names.activeService(app), app, colour, "active");
}

/** The Service of the idle colour, for the pre-switch smoke. */
export function previewService(config: KubernetesDeploy, app: App, idle: Colour): V1Service {
  return service(config, names.previewService(app), app, idle, "preview");
}

/** The backend Service of one colour (its frontend's `BACKEND_UPSTREAM`). */
export function colourService(config: KubernetesDeploy, colour: Colour): V1Service {
  return service(config, names.colourService("backend", colour), "backend", colour, `colour-${colour}`);
}

/** The alembic migration Job: the new backend image, `python -m app.migrate`, the runtime Secret. */
export function migrationJob(config: KubernetesDeploy, input: RenderInput): V1Job {
  const labels = ownedLabels({ [LABEL.name]: names.app("backend"), [LABEL.component]: MIGRATION });
  const container: V1Container = {
    name: "migrate",
    image: input.images.backend,
    command: ["python", "-m", "app.migrate"],
    env: [{ name: "ENVIRONMENT", value: backendEnvironment(input.env) }],
    envFrom: [{ secretRef: { name: config.runtimeSecret.name } }],
    resources: config.apps.backend.resources,
    securityContext: containerSecurity(10001),
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: names.migrationJob(input.revision), namespace: config.namespace, labels, annotations: { [ANNOTATION.version]: input.version } },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: Math.ceil(config.strategy.progressDeadline / 1000),
      ttlSecondsAfterFinished: 86_400,
      template: { metadata: { labels: { ...config.podLabels, ...labels }, annotations: { ...config.podAnnotations } }, spec: podSpec([container], { restartPolicy: "Never" }) },
    },
  };
}

function policy(config: KubernetesDeploy, name: string, spec: NetworkPolicy["spec"]): NetworkPolicy {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: names.networkPolicy(name), namespace: config.namespace, labels: ownedLabels() }, spec };
}

const appPods = (app: App) => ({ matchLabels: { [LABEL.name]: names.app(app) } });

/** Default deny for the app's pods, DNS for them, frontend → backend, backend → its dependencies only. */
export function networkPolicies(config: KubernetesDeploy): NetworkPolicy[] {
  const ours = { matchLabels: { [LABEL.partOf]: "helloagents" } };
  const ingressPeer: V1NetworkPolicyPeer[] = config.ingressNamespace
    ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": config.ingressNamespace } } }]
    : [{ namespaceSelector: {} }];
  const deps = Object.entries(config.dependencies).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  const depPeers = (d: (typeof deps)[number][1]): V1NetworkPolicyPeer[] =>
    d.podLabels ? [{ podSelector: { matchLabels: d.podLabels } }] : (d.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
  const policies = [
    policy(config, "default-deny", { podSelector: ours, policyTypes: ["Ingress", "Egress"] }),
    policy(config, "dns", {
      podSelector: ours,
      policyTypes: ["Egress"],
      egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
    }),
    policy(config, "frontend", {
      podSelector: appPods("frontend"),
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: ingressPeer, ports: [{ protocol: "TCP", port: PORTS.frontend }] }],
      egress: [{ to: [{ podSelector: appPods("backend") }], ports: [{ protocol: "TCP", port: PORTS.backend }] }],
    }),
    policy(config, "backend", {
      podSelector: appPods("backend"),
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: appPods("frontend") }], ports: [{ protocol: "TCP", port: PORTS.backend }] }],
      egress: deps.map(([, d]) => ({ to: depPeers(d), ports: [{ protocol: "TCP", port: d.port }] })),
    }),
  ];
  // Dependencies in the cluster accept connections from the backend only.
  for (const [name, d] of deps) {
    if (!d.podLabels) continue;
    policies.push(
      policy(config, `${name}-from-backend`, {
        podSelector: { matchLabels: d.podLabels },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: appPods("backend") }], ports: [{ protocol: "TCP", port: d.port }] }],
      }),
    );
  }
  return policies;
}

/** At most one server pod of an app down at a time during voluntary disruptions (node drains). */
export function disruptionBudget(config: KubernetesDeploy, app: App): V1PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: names.pdb(app), namespace: config.namespace, labels: ownedLabels({ [LABEL.name]: names.app(app) }) },
    spec: { maxUnavailable: 1, selector: { matchLabels: { [LABEL.name]: names.app(app), [LABEL.component]: SERVER } } },
  };
}

/** The objects shared by both colours: preview Services for the idle colour, colour Services, policies, budgets. */
export function sharedObjects(config: KubernetesDeploy, idle: Colour): Manifest[] {
  return [
    ...APPS.map((app) => previewService(config, app, idle)),
    colourService(config, "blue"),
    colourService(config, "green"),
    ...networkPolicies(config),
    ...APPS.map((app) => disruptionBudget(config, app)),
  ];
}

/**
 * Everything `hello-ci render` prints for one colour, in apply order: the migration Job, the colour's Deployments, the
 * Services (active ones rendered as if this colour were live), policies and budgets.
 */
export function renderAll(config: KubernetesDeploy, input: RenderInput): Manifest[] {
  return [
    migrationJob(config, input),
    ...APPS.map((app) => deployment(config, input, app)),
    ...APPS.map((app) => activeService(config, app, input.colour)),
    ...sharedObjects(config, input.colour),
  ];
}
