/**
 * The single HTTP boundary of hello-ci (undici). Every request has a timeout; every failure to get a response
 * becomes a TransportError that says whether it is retriable and whether anything answered (see core/http/transport.ts).
 * HTTP status codes are NOT errors here: the engine asserts on them.
 */
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { Agent, request } from "undici";
import type { ResponseSample, TlsInfo } from "./core/checks/evaluate.js";
import type { Probe, ProbeRequest } from "./core/checks/run.js";
import { classifyTransportCode, describeTransport, TransportError } from "./core/http/transport.js";

export interface HttpClientOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  extraCaPem?: readonly string[];
  /** Bodies above this size are cut (health and smoke bodies are small). */
  maxBodyBytes?: number;
  userAgent?: string;
  /**
   * A TLS client identity and its own trust (the API server's service proxy, from the kubeconfig): `ca` replaces the
   * bundled roots when given.
   */
  clientTls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string; rejectUnauthorized?: boolean };
  /** Headers sent with every request (the API server's Authorization); never reported. */
  headers?: Readonly<Record<string, string>>;
}

export interface HttpClient extends Probe {
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

function withoutCa(clientTls: HttpClientOptions["clientTls"]) {
  return Object.fromEntries(Object.entries(clientTls ?? {}).filter(([k, v]) => k !== "ca" && v !== undefined));
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const ca = options.clientTls?.ca ?? (options.extraCaPem && options.extraCaPem.length > 0 ? [...tls.rootCertificates, ...options.extraCaPem] : undefined);
  const agent = new Agent({ connect: { ...(ca ? { ca } : {}), ...withoutCa(options.clientTls) }, keepAliveTimeout: 2000 });
  const fixedHeaders = options.headers ?? {};
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const userAgent = options.userAgent ?? "hello-ci";

  return {
    async request(req: ProbeRequest): Promise<ResponseSample> {
      const url = new URL(req.url);
      const started = performance.now();
      const timeoutMs = Math.max(1, Math.ceil(req.timeoutMs));
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const res = await request(url, {
          dispatcher: agent,
          method: req.method,
          headers: { "user-agent": userAgent, ...req.headers, ...fixedHeaders },
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const bodyText = await readBody(res.body, maxBody);
        return { status: res.statusCode, headers: flattenHeaders(res.headers), bodyText, durationMs: performance.now() - started };
      } catch (error) {
        throw toTransportError(error, url, timeoutMs);
      }
    },

    inspectTls(url: URL, timeoutMs: number): Promise<TlsInfo> {
      return inspectCertificate(url, timeoutMs, ca);
    },

    async close(): Promise<void> {
      await agent.close();
    },
  };
}

async function readBody(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/** Map whatever undici/Node threw to a TransportError, following the `cause` chain to the first known code. */
export function toTransportError(error: unknown, url: URL, timeoutMs?: number): TransportError {
  if (error instanceof TransportError) return error;
  const target = url.host;
  const { code, message } = firstCode(error);
  if (!code) {
    return new TransportError(describeTransport("other", target, undefined, message), { kind: "other", retriable: false, answered: false }, undefined, { cause: error });
  }
  const cls = classifyTransportCode(code);
  return new TransportError(describeTransport(cls.kind, cls.kind === "dns" ? url.hostname : target, code, message, timeoutMs), cls, code, { cause: error });
}

function firstCode(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (typeof current === "object") {
      const record = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
      if (typeof record.message === "string" && record.message) message = record.message;
      // AggregateError (happy eyeballs: one error per address) carries the codes on its members.
      if (Array.isArray(record.errors) && record.errors.length > 0) {
        const inner = firstCode(record.errors[0]);
        if (inner.code) return inner;
      }
      if (typeof record.code === "string" && record.code !== "UND_ERR_ABORTED" && record.code !== "ERR_INVALID_STATE") return { code: record.code, message };
      // undici's HTTPParserError (the peer answered with bytes that are not HTTP) often carries no code.
      if (record.name === "TimeoutError" || record.name === "AbortError" || record.name === "HTTPParserError") return { code: record.name, message };
      current = record.cause;
    } else {
      break;
    }
  }
  return { message };
}

/** Open a TLS connection (verification recorded, not enforced) and read the server certificate. */
function inspectCertificate(url: URL, timeoutMs: number, ca: string[] | string | Buffer | undefined): Promise<TlsInfo> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 443);
  const isIp = /^[0-9.]+$/.test(hostname) || hostname.includes(":");
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: hostname,
      port,
      ...(isIp ? {} : { servername: hostname }),
      ...(ca ? { ca } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportError(describeTransport("timeout", url.host, undefined, "", timeoutMs), { kind: "timeout", retriable: true, answered: false }));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert || Object.keys(cert).length === 0) {
        reject(new TransportError(`${url.host} presented no certificate`, { kind: "tls", retriable: false, answered: true }));
        return;
      }
      const hostnameError = tls.checkServerIdentity(hostname, cert);
      const altNames = (cert.subjectaltname ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const authError = socket.authorizationError;
      resolve({
        hostname,
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: new Date(cert.valid_to).toISOString(),
        subject: cert.subject?.CN ? `CN=${String(cert.subject.CN)}` : "",
        altNames,
        trusted: socket.authorized,
        ...(socket.authorized || !authError ? {} : { trustError: typeof authError === "string" ? authError : authError.message }),
        ...(hostnameError ? { hostnameError: hostnameError.message } : {}),
      });
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(toTransportError(error, url, timeoutMs));
    });
  });
}
