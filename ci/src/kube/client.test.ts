import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { ApiException, KubeConfig } from "@kubernetes/client-node";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyKubeError, createKube, KubeConflict, KubeForbidden, KubeRejected, KubeUnreachable, type ObjectRef } from "./client.js";

const SERVER = "https://127.0.0.1:6443";
const apiError = (code: number, message = "the reason") => new ApiException(code, "", { kind: "Status", message, code }, {});
/** The shape node-fetch (client-node's HTTP client) gives a socket-level failure. */
const fetchError = (code: string, message = `request to ${SERVER}/api failed, reason: ${code}`) => Object.assign(new Error(message), { name: "FetchError", type: "system", code, errno: code });

describe("classifyKubeError: what a failure means and whether trying again could help", () => {
  it.each<[string, unknown, boolean, abstract new (...args: never[]) => Error, string]>([
    ["401: the credentials were refused (exit 3, not retried)", apiError(401), false, KubeForbidden, `the API server ${SERVER} refused the credentials (401 Unauthorized) to get deployment ns/x`],
    ["403: not allowed, naming the verb and resource for the Role", apiError(403, 'deployments.apps "x" is forbidden'), false, KubeForbidden, 'not allowed to get deployment ns/x: deployments.apps "x" is forbidden'],
    ["409: someone else changed it (optimistic concurrency)", apiError(409, "the object has been modified"), false, KubeConflict, "deployment ns/x changed meanwhile (409 Conflict): the object has been modified"],
    ["422: the object is invalid", apiError(422, "spec.replicas: Invalid value: -1"), false, KubeRejected, "the API server rejected deployment ns/x: spec.replicas: Invalid value: -1"],
    ["400: a bad request is a rejection too", apiError(400, "bad"), false, KubeRejected, "the API server rejected deployment ns/x: bad"],
    ["429: too many requests is transient", apiError(429, "slow down"), true, KubeUnreachable, `the API server ${SERVER} failed to get deployment ns/x (429): slow down`],
    ["500: transient", apiError(500, "etcdserver: request timed out"), true, KubeUnreachable, `the API server ${SERVER} failed to get deployment ns/x (500): etcdserver: request timed out`],
    ["503: transient", apiError(503, "unavailable"), true, KubeUnreachable, `the API server ${SERVER} failed to get deployment ns/x (503): unavailable`],
    ["another status is rejected with its code", apiError(405, "method not allowed"), false, KubeRejected, "get deployment ns/x: HTTP 405: method not allowed"],
    ["a body given as JSON text still yields its message", new ApiException(403, "", JSON.stringify({ message: "nope" }), {}), false, KubeForbidden, "not allowed to get deployment ns/x: nope"],
    ["ECONNREFUSED: unreachable, retried", fetchError("ECONNREFUSED"), true, KubeUnreachable, `the API server ${SERVER} is unreachable (ECONNREFUSED) to get deployment ns/x`],
    ["ECONNRESET: unreachable, retried", fetchError("ECONNRESET"), true, KubeUnreachable, `the API server ${SERVER} is unreachable (ECONNRESET) to get deployment ns/x`],
    ["an abort (the per-request timeout): did not answer in time, retried", Object.assign(new Error("The user aborted a request."), { name: "AbortError", type: "aborted" }), true, KubeUnreachable, `the API server ${SERVER} did not answer in time to get deployment ns/x`],
    ["a TimeoutError DOMException: did not answer in time", new DOMException("The operation was aborted due to timeout", "TimeoutError"), true, KubeUnreachable, `the API server ${SERVER} did not answer in time to get deployment ns/x`],
    ["ENOTFOUND (shape of node-fetch's FetchError): cannot resolve, not retried", fetchError("ENOTFOUND"), false, KubeUnreachable, `cannot resolve the API server ${SERVER} (ENOTFOUND)`],
    [
      "a self-signed certificate (shape of node-fetch's FetchError): a TLS failure, not retried",
      fetchError("DEPTH_ZERO_SELF_SIGNED_CERT", `request to ${SERVER}/api failed, reason: self-signed certificate`),
      false,
      KubeUnreachable,
      `TLS to the API server ${SERVER} failed: request to ${SERVER}/api failed, reason: self-signed certificate`,
    ],
    [
      "a certificate for another host: a TLS failure, not retried",
      fetchError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list"),
      false,
      KubeUnreachable,
      `TLS to the API server ${SERVER} failed: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list`,
    ],
  ])("%s", (_name, error, transient, type, message) => {
    const classified = classifyKubeError(error, "get", "deployment ns/x", SERVER);
    expect(classified.transient).toBe(transient);
    expect(classified.error).toBeInstanceOf(type);
    expect(classified.error.message).toBe(message);
  });

  it("401 and 403 end with exit 3 and a suggestion; 429 and 5xx too once retries are spent", () => {
    for (const code of [401, 403, 429, 503]) {
      const { error } = classifyKubeError(apiError(code), "patch", "service ns/y", SERVER);
      expect((error as KubeUnreachable).exitCode, String(code)).toBe(3);
    }
    expect((classifyKubeError(apiError(403), "patch", "service ns/y", SERVER).error as KubeForbidden).suggestion).toContain("docs/deploy.md");
  });

  it("anything else is passed on as it is (an internal error, exit 70)", () => {
    const bug = new TypeError("cannot read properties of undefined");
    expect(classifyKubeError(bug, "get", "x", SERVER)).toEqual({ transient: false, error: bug });
    expect(classifyKubeError("text", "get", "x", SERVER).error.message).toBe("text");
  });
});

// ---- the same failures from real sockets on 127.0.0.1 --------------------------------------------------------------

const ref: ObjectRef = { apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "cm" };

function kubeconfigFor(server: string, skipTLSVerify: boolean): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify }],
    users: [{ name: "u", token: "test-token" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return kc;
}

interface Recorder {
  server: Server;
  url: string;
  /** TCP connections accepted. */
  connections: number;
  /** HTTP requests answered, by path. */
  requests: string[];
  /** What to answer: a status code, or "hang" to never answer. */
  answer: number | "hang";
}

let cert: { private: string; cert: string };
const recorders: Recorder[] = [];

async function startRecorder(answer: Recorder["answer"]): Promise<Recorder> {
  const recorder = { connections: 0, requests: [] as string[], answer } as Recorder;
  recorder.server = createHttpsServer({ key: cert.private, cert: cert.cert }, (req, res) => {
    recorder.requests.push(req.url ?? "");
    if (recorder.answer === "hang") return;
    res.writeHead(recorder.answer, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: recorder.answer, message: `answered ${recorder.answer}` }));
  });
  recorder.server.on("connection", () => recorder.connections++);
  await new Promise<void>((resolve) => recorder.server.listen(0, "127.0.0.1", resolve));
  recorder.url = `https://127.0.0.1:${(recorder.server.address() as AddressInfo).port}`;
  recorders.push(recorder);
  return recorder;
}

beforeAll(async () => {
  cert = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec", algorithm: "sha256" });
});
afterAll(async () => {
  for (const r of recorders) r.server.closeAllConnections();
  await Promise.all(recorders.map((r) => new Promise<void>((resolve) => r.server.close(() => resolve()))));
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("createKube against real sockets on 127.0.0.1", () => {
  it("a closed port is unreachable (ECONNREFUSED), exit 3", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(createKube(kubeconfigFor(`https://127.0.0.1:${port}`, true), { attempts: 2, backoffMs: 5 }).get(ref));
    expect(error).toBeInstanceOf(KubeUnreachable);
    expect(error.message).toBe(`the API server https://127.0.0.1:${port} is unreachable (ECONNREFUSED) to get configmap ns/cm`);
  });

  it("an API server that accepts and never answers times out, and each attempt is a new try", async () => {
    const hang = await startRecorder("hang");
    const error = await failure(createKube(kubeconfigFor(hang.url, true), { attempts: 2, backoffMs: 5, timeoutMs: 300 }).get(ref));
    expect(error).toBeInstanceOf(KubeUnreachable);
    expect(error.message).toBe(`the API server ${hang.url} did not answer in time to get configmap ns/cm`);
    expect(hang.requests).toHaveLength(2);
  });

  it("a certificate the kubeconfig does not trust is a TLS failure on the first attempt, not retried as if the server were down", async () => {
    const untrusted = await startRecorder(200);
    const error = await failure(createKube(kubeconfigFor(untrusted.url, false), { attempts: 3, backoffMs: 5 }).get(ref));
    expect(error).toBeInstanceOf(KubeUnreachable);
    expect(error.message).toMatch(new RegExp(`^TLS to the API server ${untrusted.url} failed: .*self[- ]signed certificate`));
    expect(untrusted.connections).toBe(1);
    expect(untrusted.requests).toEqual([]);
  });

  it.each<[number, string, abstract new (...args: never[]) => Error, number]>([
    [403, "forbidden, not retried", KubeForbidden, 1],
    [401, "refused credentials, not retried", KubeForbidden, 1],
    [503, "unreachable after every attempt", KubeUnreachable, 3],
    [429, "unreachable after every attempt", KubeUnreachable, 3],
  ])("HTTP %d: %s", async (status, _what, type, requests) => {
    const server = await startRecorder(status);
    const error = await failure(createKube(kubeconfigFor(server.url, true), { attempts: 3, backoffMs: 5 }).get(ref));
    expect(error).toBeInstanceOf(type);
    expect(server.requests).toHaveLength(requests);
  });
});
