/**
 * Reaching a Service through the API server's service proxy (`/api/v1/namespaces/N/services/http:NAME:http/proxy/…`),
 * with the kubeconfig's credentials: how the pre-switch smoke reaches the preview Services when the environment has no
 * preview URL. Needs `services/proxy` (get) in the deploying Role.
 */
import type { RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { createHttpClient, type HttpClient } from "../http.js";

export interface ServiceProxy {
  baseUrl: string;
  client: HttpClient;
}

/** The base URL of a Service's port through the API server, and an HTTP client carrying the kubeconfig's credentials. */
export async function serviceProxy(kc: KubeConfig, namespace: string, service: string, port = "http"): Promise<ServiceProxy> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers = Object.fromEntries(Object.entries((opts.headers ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const pem = (v: unknown) => (typeof v === "string" || Buffer.isBuffer(v) ? v : undefined);
  const clientTls = {
    ...(pem(opts.ca) ? { ca: pem(opts.ca)! } : {}),
    ...(pem(opts.cert) ? { cert: pem(opts.cert)! } : {}),
    ...(pem(opts.key) ? { key: pem(opts.key)! } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    rejectUnauthorized: !cluster.skipTLSVerify,
  };
  const base = cluster.server.replace(/\/+$/, "");
  return {
    baseUrl: `${base}/api/v1/namespaces/${namespace}/services/http:${service}:${port}/proxy`,
    client: createHttpClient({ clientTls, headers }),
  };
}
