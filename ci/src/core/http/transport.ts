/**
 * Transport failures, typed the Flagger way: each one says whether waiting could help (`retriable`) and whether
 * anything answered (`answered`: a TLS handshake or a broken HTTP exchange is an answer; refused, DNS and timeouts
 * are not). src/http.ts throws these; the engine retries only retriable ones and reports "unreachable" only when
 * nothing answered.
 */

export type TransportKind = "refused" | "dns" | "timeout" | "reset" | "tls" | "protocol" | "other";

export interface TransportClass {
  kind: TransportKind;
  retriable: boolean;
  answered: boolean;
}

export class TransportError extends Error {
  readonly kind: TransportKind;
  readonly retriable: boolean;
  readonly answered: boolean;
  readonly code: string | undefined;

  constructor(message: string, cls: TransportClass, code?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
    this.kind = cls.kind;
    this.retriable = cls.retriable;
    this.answered = cls.answered;
    this.code = code;
  }
}

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "TimeoutError",
  "AbortError",
  "ABORT_ERR",
]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);
const REFUSED_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const PROTOCOL_CODES = new Set(["HTTPParserError", "HPE_INVALID_CONSTANT", "HPE_INVALID_STATUS", "UND_ERR_INFO", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE"]);

/** Classify an error code (Node system error, undici code, TLS verify code or DOMException name). */
export function classifyTransportCode(code: string): TransportClass {
  if (REFUSED_CODES.has(code)) return { kind: "refused", retriable: true, answered: false };
  // ENOTFOUND is a definitive "no such name": waiting does not help. EAI_AGAIN is a temporary resolver failure.
  if (code === "ENOTFOUND" || code === "EAI_NONAME" || code === "EAI_NODATA") return { kind: "dns", retriable: false, answered: false };
  if (code === "EAI_AGAIN" || code === "EAI_FAIL") return { kind: "dns", retriable: true, answered: false };
  if (TIMEOUT_CODES.has(code)) return { kind: "timeout", retriable: true, answered: false };
  if (RESET_CODES.has(code)) return { kind: "reset", retriable: true, answered: false };
  if (code.startsWith("HPE_") || PROTOCOL_CODES.has(code)) return { kind: "protocol", retriable: false, answered: true };
  if (isTlsCode(code)) return { kind: "tls", retriable: false, answered: true };
  return { kind: "other", retriable: false, answered: false };
}

export function isTlsCode(code: string): boolean {
  return (
    code.startsWith("CERT_") ||
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.includes("SELF_SIGNED") ||
    code.startsWith("UNABLE_TO_") ||
    code === "HOSTNAME_MISMATCH"
  );
}

/** The human line for a failure, e.g. "connection refused by 127.0.0.1:9 (ECONNREFUSED)". */
export function describeTransport(kind: TransportKind, target: string, code: string | undefined, detail: string, timeoutMs?: number): string {
  const suffix = code ? ` (${code})` : "";
  switch (kind) {
    case "refused":
      return `connection refused by ${target}${suffix}`;
    case "dns":
      return `DNS lookup failed for ${target}${suffix}`;
    case "timeout":
      return timeoutMs !== undefined ? `no answer from ${target} within ${timeoutMs} ms${suffix}` : `timed out talking to ${target}${suffix}`;
    case "reset":
      return `connection to ${target} closed before a response${suffix}`;
    case "tls":
      return `TLS handshake with ${target} failed: ${detail}${suffix}`;
    case "protocol":
      return `invalid HTTP response from ${target}: ${detail}${suffix}`;
    case "other":
      return `request to ${target} failed: ${detail}${suffix}`;
  }
}
