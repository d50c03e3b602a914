import { describe, expect, it } from "vitest";
import { backoffMs, classifyAwsError, credentialsAdvice } from "./ecs-errors.js";

const sdk = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened\nsecond line`), { name, ...extra });

describe("ecs: what an AWS SDK error means", () => {
  it.each([
    ["ECS throttling", sdk("ThrottlingException"), "throttled"],
    ["SSM too many updates", sdk("TooManyUpdates"), "throttled"],
    ["HTTP 429 with any name", sdk("SomethingElse", { $metadata: { httpStatusCode: 429 } }), "throttled"],
    ["a server fault", sdk("ServerException", { $fault: "server", $metadata: { httpStatusCode: 500 } }), "transient"],
    ["a 503 without a fault", sdk("ServiceUnavailable", { $metadata: { httpStatusCode: 503 } }), "transient"],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }), "transient"],
    ["a reset under a cause", Object.assign(new Error("socket hang up"), { cause: { code: "ECONNRESET" } }), "transient"],
    ["a request timeout", sdk("TimeoutError"), "transient"],
    ["no credentials in the chain", sdk("CredentialsProviderError"), "credentials"],
    ["expired session", sdk("ExpiredTokenException", { $metadata: { httpStatusCode: 400 } }), "credentials"],
    ["unknown key", sdk("UnrecognizedClientException", { $metadata: { httpStatusCode: 400 } }), "credentials"],
    ["a bad signature (403) is about credentials, not permission", sdk("InvalidSignatureException", { $metadata: { httpStatusCode: 403 } }), "credentials"],
    ["access denied", sdk("AccessDeniedException", { $metadata: { httpStatusCode: 400 } }), "denied"],
    ["a bare 403", sdk("Forbidden", { $metadata: { httpStatusCode: 403 } }), "denied"],
    ["a missing service", sdk("ServiceNotFoundException"), "not-found"],
    ["a missing parameter", sdk("ParameterNotFound"), "not-found"],
    ["a bad parameter", sdk("InvalidParameterException", { $fault: "client", $metadata: { httpStatusCode: 400 } }), "rejected"],
    ["not even an Error", "boom", "rejected"],
  ] as const)("%s", (_name, error, kind) => {
    expect(classifyAwsError(error).kind).toBe(kind);
  });

  it("keeps the code and the first line of the message only", () => {
    expect(classifyAwsError(sdk("ThrottlingException")).detail).toBe("ThrottlingException: ThrottlingException happened");
    expect(classifyAwsError(Object.assign(new Error(""), { name: "Error", code: "ETIMEDOUT" })).detail).toBe("ETIMEDOUT");
  });

  it.each([
    ["denied", "AccessDeniedException", /policy .* docs\/deploy\.md/],
    ["credentials", "CredentialsProviderError", /AWS_ACCESS_KEY_ID .* AWS_PROFILE .* AWS_WEB_IDENTITY_TOKEN_FILE .* with-aws-credentials/],
    ["credentials", "ExpiredTokenException", /have expired/],
    ["credentials", "UnrecognizedClientException", /did not accept the credentials/],
  ] as const)("advice for %s (%s)", (kind, code, expected) => {
    expect(credentialsAdvice(kind, code)).toMatch(expected);
  });
});

describe("ecs: backoff", () => {
  it.each([
    ["first retry, no jitter left", 1, 1, 250],
    ["first retry, most jitter", 1, 0, 125],
    ["doubles", 3, 1, 1000],
    ["capped at 8 s", 10, 1, 8000],
  ])("%s", (_name, attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected);
  });
});
