import { describe, expect, it } from "vitest";
import { classifyTransportCode, describeTransport } from "./transport.js";

describe("transport: classification (Flagger's retriable vs terminal)", () => {
  it.each([
    ["ECONNREFUSED", "refused", true, false],
    ["EHOSTUNREACH", "refused", true, false],
    ["ENOTFOUND", "dns", false, false],
    ["EAI_AGAIN", "dns", true, false],
    ["UND_ERR_CONNECT_TIMEOUT", "timeout", true, false],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout", true, false],
    ["TimeoutError", "timeout", true, false],
    ["ECONNRESET", "reset", true, false],
    ["UND_ERR_SOCKET", "reset", true, false],
    ["CERT_HAS_EXPIRED", "tls", false, true],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls", false, true],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls", false, true],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls", false, true],
    ["HPE_INVALID_CONSTANT", "protocol", false, true],
    ["HTTPParserError", "protocol", false, true],
    ["E_SOMETHING_ELSE", "other", false, false],
  ])("%s → %s, retriable=%s, answered=%s", (code, kind, retriable, answered) => {
    expect(classifyTransportCode(code)).toEqual({ kind, retriable, answered });
  });
});

describe("transport: messages", () => {
  it.each([
    [["refused", "127.0.0.1:9", "ECONNREFUSED", ""], "connection refused by 127.0.0.1:9 (ECONNREFUSED)"],
    [["dns", "nonexistent.invalid", "ENOTFOUND", ""], "DNS lookup failed for nonexistent.invalid (ENOTFOUND)"],
    [["timeout", "h:1", "UND_ERR_HEADERS_TIMEOUT", "", 200], "no answer from h:1 within 200 ms (UND_ERR_HEADERS_TIMEOUT)"],
    [["tls", "h:1", "CERT_HAS_EXPIRED", "certificate has expired"], "TLS handshake with h:1 failed: certificate has expired (CERT_HAS_EXPIRED)"],
  ] as const)("%j", (args, line) => {
    const [kind, target, code, detail, timeout] = args as unknown as [Parameters<typeof describeTransport>[0], string, string, string, number | undefined];
    expect(describeTransport(kind, target, code, detail, timeout)).toBe(line);
  });
});
