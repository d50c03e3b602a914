/**
 * What an error from the AWS SDK means for a run: retry it (throttling, a 5xx, a dropped connection), or stop with
 * the right exit code and one line a person can act on (credentials missing, expired or rejected, a permission the
 * deploying identity lacks, something that does not exist). Read from the error's name, fault, HTTP status and
 * network code only; AWS messages are shortened to their first line.
 */

export type AwsErrorKind =
  /** Rate exceeded: retry with backoff. */
  | "throttled"
  /** 5xx, a timeout, a dropped or refused connection: retry with backoff, then "unreachable". */
  | "transient"
  /** No credentials in the chain, or AWS refused them (expired, unknown, bad signature). */
  | "credentials"
  /** The identity may not do this (403). */
  | "denied"
  /** The cluster, service, task definition, deployment or parameter does not exist. */
  | "not-found"
  /** AWS refused the request itself (a bad parameter, a state that does not allow it). */
  | "rejected";

export interface AwsErrorClass {
  kind: AwsErrorKind;
  /** The error's name (e.g. ThrottlingException) or network code. */
  code: string;
  /** One line: `<code>: <first line of the message>`. */
  detail: string;
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyUpdates",
  "SlowDown",
]);
const CREDENTIALS = new Set([
  "CredentialsProviderError",
  "ExpiredTokenException",
  "ExpiredToken",
  "TokenRefreshRequired",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"]);
const NOT_FOUND = new Set(["ServiceNotFoundException", "ClusterNotFoundException", "ServiceDeploymentNotFoundException", "ParameterNotFound", "ResourceNotFoundException"]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUTS = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "AbortError"]);

interface SdkLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

const firstLine = (text: unknown) => (typeof text === "string" ? (text.split("\n")[0] ?? "").trim().slice(0, 240) : "");

/** Classify an error thrown by an AWS SDK call. */
export function classifyAwsError(error: unknown): AwsErrorClass {
  const e = (error ?? {}) as SdkLike;
  const name = typeof e.name === "string" ? e.name : "Error";
  const netCode = [e.code, (e.cause as SdkLike | undefined)?.code].find((c): c is string => typeof c === "string" && NETWORK.has(c));
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const message = firstLine(e.message);
  const make = (kind: AwsErrorKind, code: string): AwsErrorClass => ({ kind, code, detail: message && message !== code ? `${code}: ${message}` : code });
  if (netCode) return make("transient", netCode);
  if (THROTTLING.has(name) || status === 429) return make("throttled", name);
  if (CREDENTIALS.has(name)) return make("credentials", name);
  if (DENIED.has(name) || status === 403) return make("denied", name);
  if (NOT_FOUND.has(name)) return make("not-found", name);
  if (TIMEOUTS.has(name)) return make("transient", name);
  if (e.$fault === "server" || (status !== undefined && status >= 500)) return make("transient", name);
  return make("rejected", name);
}

/** The sentence for an error that stops a run before it changed anything (exit 3). */
export function credentialsAdvice(kind: "credentials" | "denied", code: string): string {
  if (kind === "denied") return "the deploying identity lacks this permission: compare its policy with the one in docs/deploy.md (ECS)";
  if (code === "CredentialsProviderError") {
    return "no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE with ~/.aws/config, or AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE (GitHub OIDC: aws-actions/configure-aws-credentials); with dagger: with-aws-credentials";
  }
  if (code.startsWith("ExpiredToken") || code === "TokenRefreshRequired") return "the AWS credentials have expired: get fresh ones (re-run configure-aws-credentials, aws sso login) and run again";
  return "AWS did not accept the credentials: check the access key, its secret and session token (or the role) for this account";
}

/** Backoff before retry `attempt` (1-based): exponential from `baseMs`, capped, with full jitter from `random()`. */
export function backoffMs(attempt: number, random: () => number, baseMs = 250, capMs = 8_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(50, Math.round(ceiling * (0.5 + random() / 2)));
}
