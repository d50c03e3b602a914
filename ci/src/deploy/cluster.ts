/**
 * The environment's objects as the engine reads and changes them, over the Kube adapter: live state, pods, routing,
 * history records, the runtime Secret's keys, scaling and switching. Every name comes from core/deploy/names.ts.
 */
import type { V1ConfigMap, V1Deployment, V1EndpointSlice, V1Job, V1Pod, V1Secret, V1Service } from "@kubernetes/client-node";
import { ZodError } from "zod";
import { describeZodError } from "../errors.js";
import { liveState, type LiveState } from "../core/deploy/live.js";
import { activeService } from "../core/deploy/manifests.js";
import { ANNOTATION, APPS, LABEL, names, ownedLabels, podSelector, type App, type Colour } from "../core/deploy/names.js";
import type { KubernetesDeploy } from "../schemas/deploy.js";
import { deployRecordSchema, type DeployRecord } from "../schemas/deploy-record.js";
import type { Kube, KubeObject, ObjectRef } from "../kube/client.js";

const ref = (apiVersion: string, kind: string, namespace: string, name: string): ObjectRef => ({ apiVersion, kind, namespace, name });
const selector = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");

export const refs = {
  deployment: (ns: string, app: App, colour: Colour) => ref("apps/v1", "Deployment", ns, names.deployment(app, colour)),
  service: (ns: string, name: string) => ref("v1", "Service", ns, name),
  job: (ns: string, name: string) => ref("batch/v1", "Job", ns, name),
  secret: (ns: string, name: string) => ref("v1", "Secret", ns, name),
  lease: (ns: string) => ref("coordination.k8s.io/v1", "Lease", ns, names.lease),
  record: (ns: string, revision: number) => ref("v1", "ConfigMap", ns, names.record(revision)),
};

/** The engine's view of one environment's namespace. */
export class EnvironmentCluster {
  constructor(
    readonly kube: Kube,
    readonly config: KubernetesDeploy,
  ) {}

  get namespace(): string {
    return this.config.namespace;
  }

  async deployments(colour: Colour): Promise<Partial<Record<App, V1Deployment>>> {
    const found = await Promise.all(APPS.map((app) => this.kube.get<V1Deployment & KubeObject>(refs.deployment(this.namespace, app, colour))));
    return Object.fromEntries(APPS.flatMap((app, i) => (found[i] ? [[app, found[i]]] : []))) as Partial<Record<App, V1Deployment>>;
  }

  async activeServices(): Promise<Partial<Record<App, V1Service>>> {
    const found = await Promise.all(APPS.map((app) => this.kube.get<V1Service & KubeObject>(refs.service(this.namespace, names.activeService(app)))));
    return Object.fromEntries(APPS.flatMap((app, i) => (found[i] ? [[app, found[i]]] : []))) as Partial<Record<App, V1Service>>;
  }

  /** Live state plus the raw objects (for the backup). */
  async live(): Promise<{ state: LiveState; objects: KubeObject[] }> {
    const [services, blue, green] = await Promise.all([this.activeServices(), this.deployments("blue"), this.deployments("green")]);
    const objects = [...Object.values(services), ...Object.values(blue), ...Object.values(green)] as KubeObject[];
    return { state: liveState(services, { blue, green }), objects };
  }

  async pods(app: App, colour: Colour): Promise<V1Pod[]> {
    return this.kube.list<V1Pod & KubeObject>("v1", "Pod", this.namespace, selector(podSelector(app, colour)));
  }

  async endpointSlices(service: string): Promise<V1EndpointSlice[]> {
    return this.kube.list<V1EndpointSlice & KubeObject>("discovery.k8s.io/v1", "EndpointSlice", this.namespace, `kubernetes.io/service-name=${service}`);
  }

  async job(name: string): Promise<{ job: V1Job | undefined; pods: V1Pod[] }> {
    const [job, pods] = await Promise.all([
      this.kube.get<V1Job & KubeObject>(refs.job(this.namespace, name)),
      this.kube.list<V1Pod & KubeObject>("v1", "Pod", this.namespace, `job-name=${name}`),
    ]);
    return { job, pods };
  }

  /** The keys of the runtime Secret (never its values), or undefined when it does not exist. */
  async secretKeys(): Promise<string[] | undefined> {
    const secret = await this.kube.get<V1Secret & KubeObject>(refs.secret(this.namespace, this.config.runtimeSecret.name));
    return secret ? Object.keys({ ...secret.data, ...secret.stringData }).sort() : undefined;
  }

  /** Create or update some keys of the runtime Secret (server-side apply owns only these keys). */
  async applySecretValues(values: Record<string, string>): Promise<void> {
    await this.kube.apply<V1Secret & KubeObject>({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: this.config.runtimeSecret.name, namespace: this.namespace, labels: ownedLabels() },
      type: "Opaque",
      stringData: values,
    });
  }

  async scale(colour: Colour, replicas: Partial<Record<App, number>>): Promise<void> {
    await Promise.all(
      APPS.filter((app) => replicas[app] !== undefined).map((app) => this.kube.patch(refs.deployment(this.namespace, app, colour), { spec: { replicas: replicas[app] } })),
    );
  }

  /** Mark (or unmark, with undefined) when a colour may be scaled to zero. */
  async markScaleDown(colour: Colour, after: string | undefined): Promise<void> {
    await Promise.all(
      APPS.map((app) => this.kube.patch(refs.deployment(this.namespace, app, colour), { metadata: { annotations: { [ANNOTATION.scaleDownAfter]: after ?? null } } })),
    );
  }

  /**
   * Point both active Services at `colour`, the backend first (a half-switched state then serves the new console with
   * the old API, which the schema rules of docs/deploy.md keep compatible). Created on the first deploy.
   */
  async switchTo(colour: Colour): Promise<void> {
    for (const app of APPS) await this.kube.apply(activeService(this.config, app, colour) as KubeObject);
  }

  async readRecords(): Promise<{ records: DeployRecord[]; unreadable: string[] }> {
    const maps = await this.kube.list<V1ConfigMap & KubeObject>("v1", "ConfigMap", this.namespace, `${LABEL.history}=true`);
    const records: DeployRecord[] = [];
    const unreadable: string[] = [];
    for (const map of maps) {
      try {
        records.push(deployRecordSchema.parse(JSON.parse(map.data?.["record.json"] ?? "")));
      } catch (error) {
        unreadable.push(`${map.metadata.name}: ${error instanceof ZodError ? describeZodError(error, "record.json") : "record.json is not JSON"}`);
      }
    }
    return { records, unreadable };
  }

  /** Create a run's record with the backup of what was live when it started. */
  async createRecord(record: DeployRecord, backup: string): Promise<void> {
    const labels = ownedLabels({ [LABEL.history]: "true", "helloagents.dev/revision": String(record.revision) });
    await this.kube.apply<V1ConfigMap & KubeObject>({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.record(record.revision), namespace: this.namespace, labels },
      data: { "record.json": `${JSON.stringify(record, null, 2)}\n`, "backup.json": backup },
    });
  }

  /** Update a record, leaving its backup as it is. */
  async updateRecord(record: DeployRecord): Promise<void> {
    await this.kube.patch(refs.record(this.namespace, record.revision), { data: { "record.json": `${JSON.stringify(record, null, 2)}\n` } });
  }

  async deleteRecord(revision: number): Promise<void> {
    await this.kube.delete(refs.record(this.namespace, revision));
  }

  async backupOf(revision: number): Promise<string | undefined> {
    const map = await this.kube.get<V1ConfigMap & KubeObject>(refs.record(this.namespace, revision));
    return map?.data?.["backup.json"];
  }
}

/** Strip what the API server owns (status, managed fields, uid) so a backup shows what was applied. */
export function backupObject(object: KubeObject): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...object };
  delete rest.status;
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const key of ["managedFields", "uid", "resourceVersion", "generation", "creationTimestamp"]) delete metadata[key];
  return { ...rest, metadata };
}


