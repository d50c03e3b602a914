/**
 * The deploy engine's only door to a cluster: a handful of verbs over @kubernetes/client-node's generic object API.
 * Every request has a timeout; transient failures (connection refused or reset, 429, 5xx) are retried with backoff
 * inside a small budget; what is left becomes a typed error:
 *   - KubeUnreachable (exit 3): nothing answered, or the API server kept failing;
 *   - KubeForbidden (exit 3): the credentials may not do this (names the verb and resource, for the Role);
 *   - KubeConflict: someone else changed the object (optimistic concurrency on Leases and records);
 *   - KubeRejected: the API server refused an object as invalid.
 * Reads of a missing object return undefined.
 */
import {
  ApiException,
  createConfiguration,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  type KubeConfig,
  type KubernetesObject,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import { Unreachable } from "../errors.js";
import { FIELD_MANAGER } from "../core/deploy/names.js";

/** An object reference: enough to read, patch or delete it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export type KubeObject = KubernetesObject & { metadata: NonNullable<KubernetesObject["metadata"]> };

export interface Kube {
  /** The API server URL, for messages. */
  readonly server: string;
  get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubeObject>(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<T[]>;
  /** Server-side apply as field manager `hello-ci` (force: the engine owns these fields). */
  apply<T extends KubeObject>(object: T): Promise<T>;
  /** Create; KubeConflict when it exists. */
  create<T extends KubeObject>(object: T): Promise<T>;
  /** Replace with the object's resourceVersion; KubeConflict when it changed meanwhile. */
  replace<T extends KubeObject>(object: T): Promise<T>;
  /** JSON merge patch (scale a Deployment, move a selector, set an annotation) without taking over other fields. */
  patch<T extends KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T>;
  /** Delete; a missing object is not an error. */
  delete(ref: ObjectRef): Promise<void>;
}

export class KubeUnreachable extends Unreachable {}
export class KubeForbidden extends Unreachable {}
export class KubeConflict extends Error {}
export class KubeRejected extends Error {}

export interface KubeClientOptions {
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Attempts for a transient failure (default 4: waits 0.5, 1, 2 s between). */
  attempts?: number;
  /** Backoff base (default 500 ms); tests shorten it. */
  backoffMs?: number;
}

const TRANSIENT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "UND_ERR_SOCKET"]);

interface Classified {
  transient: boolean;
  error: Error;
}

function describe(ref: Pick<ObjectRef, "kind" | "name" | "namespace">): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace}/${ref.name}`;
}

function statusMessage(body: unknown): string {
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      return parsed.message ?? body.slice(0, 200);
    } catch {
      return body.slice(0, 200);
    }
  }
  return (body as { message?: string } | undefined)?.message ?? "";
}

/** Map a client-node failure of `verb` on `what` to a typed error, and say whether trying again could help. */
export function classifyKubeError(error: unknown, verb: string, what: string, server: string): Classified {
  if (error instanceof ApiException) {
    const code = error.code;
    const message = statusMessage(error.body);
    if (code === 401) return { transient: false, error: new KubeForbidden(`the API server ${server} refused the credentials (401 Unauthorized) to ${verb} ${what}`, { suggestion: "check the kubeconfig's user and token or certificate" }) };
    if (code === 403) return { transient: false, error: new KubeForbidden(`not allowed to ${verb} ${what}: ${message}`, { suggestion: "grant the Role in docs/deploy.md to the deploying identity" }) };
    if (code === 409) return { transient: false, error: new KubeConflict(`${what} changed meanwhile (409 Conflict): ${message}`) };
    if (code === 422 || code === 400) return { transient: false, error: new KubeRejected(`the API server rejected ${what}: ${message}`) };
    if (code === 429 || code >= 500) return { transient: true, error: new KubeUnreachable(`the API server ${server} failed to ${verb} ${what} (${code}): ${message}`) };
    return { transient: false, error: new KubeRejected(`${verb} ${what}: HTTP ${code}: ${message}`) };
  }
  const e = error as { name?: string; code?: string; type?: string; message?: string };
  if (e?.name === "AbortError" || e?.type === "aborted" || e?.name === "TimeoutError") {
    return { transient: true, error: new KubeUnreachable(`the API server ${server} did not answer in time to ${verb} ${what}`) };
  }
  // node-fetch marks every socket-level failure `type: "system"`, DNS and TLS ones included: those are decided first,
  // because retrying a name that does not resolve or a certificate that is not trusted cannot help.
  if (e?.code === "ENOTFOUND") return { transient: false, error: new KubeUnreachable(`cannot resolve the API server ${server} (ENOTFOUND)`) };
  const transientCode = e?.code !== undefined && TRANSIENT_CODES.has(e.code);
  if (!transientCode && (/CERT|SSL|TLS/.test(e?.code ?? "") || /certificate|self[- ]signed|SSL|TLS/i.test(e?.message ?? ""))) {
    return { transient: false, error: new KubeUnreachable(`TLS to the API server ${server} failed: ${e.message?.split("\n")[0]}`, { suggestion: "check the kubeconfig's certificate-authority" }) };
  }
  if (e?.code && (transientCode || e.type === "system")) {
    return { transient: true, error: new KubeUnreachable(`the API server ${server} is unreachable (${e.code}) to ${verb} ${what}`, { suggestion: "check the cluster is up and the kubeconfig's server address" }) };
  }
  return { transient: false, error: error instanceof Error ? error : new Error(String(error)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Kube over a loaded kubeconfig. */
export function createKube(kc: KubeConfig, options: KubeClientOptions = {}): Kube {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const server = cluster.server;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(timeoutMs));
          return ctx;
        },
        post: async (ctx: ResponseContext) => ctx,
      },
    ],
  });
  const api = new KubernetesObjectApi(configuration);

  // Once the API server failed a call after every retry, the next calls try once until one succeeds: a run that lost
  // its cluster reports it in seconds instead of spending the whole backoff on every cleanup call.
  let down = false;
  async function call<T>(verb: string, what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await fn();
        down = false;
        return result;
      } catch (error) {
        const { transient, error: typed } = classifyKubeError(error, verb, what, server);
        if (transient && (down || attempt >= attempts)) down = typed instanceof KubeUnreachable;
        if (!transient || down || attempt >= attempts) throw typed;
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  const spec = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion ?? "", kind: o.kind ?? "", namespace: o.metadata.namespace ?? "", name: o.metadata.name ?? "" });

  return {
    server,
    async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
      return call("get", describe(ref), async () => {
        try {
          return (await api.read(spec(ref))) as T;
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return undefined;
          throw error;
        }
      });
    },
    async list<T extends KubeObject>(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<T[]> {
      const what = `${kind.toLowerCase()}s in ${namespace}${labelSelector ? ` (${labelSelector})` : ""}`;
      return call("list", what, async () => {
        const list = await api.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
        return list.items as T[];
      });
    },
    async apply<T extends KubeObject>(object: T): Promise<T> {
      return call("apply", describe(refOf(object)), async () => (await api.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)) as T);
    },
    async create<T extends KubeObject>(object: T): Promise<T> {
      return call("create", describe(refOf(object)), async () => (await api.create(object, undefined, undefined, FIELD_MANAGER)) as T);
    },
    async replace<T extends KubeObject>(object: T): Promise<T> {
      return call("replace", describe(refOf(object)), async () => (await api.replace(object, undefined, undefined, FIELD_MANAGER)) as T);
    },
    async patch<T extends KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T> {
      const body = { ...patch, apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...((patch.metadata as object | undefined) ?? {}), name: ref.name, namespace: ref.namespace } };
      return call("patch", describe(ref), async () => (await api.patch(body, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch)) as T);
    },
    async delete(ref: ObjectRef): Promise<void> {
      await call("delete", describe(ref), async () => {
        try {
          await api.delete(spec(ref), undefined, undefined, undefined, undefined, "Background");
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return;
          throw error;
        }
      });
    },
  };
}
