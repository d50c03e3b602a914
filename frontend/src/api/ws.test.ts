import { describe, expect, it } from "vitest";
import { resolveWsUrl } from "./ws";

describe("resolveWsUrl", () => {
  it("uses VITE_WS_URL as configured", () => {
    expect(resolveWsUrl("wss://ws.example.com/socket", { protocol: "http:", host: "console.example.com" })).toBe(
      "wss://ws.example.com/socket",
    );
  });

  it("derives wss:// from an https page's host when empty", () => {
    expect(resolveWsUrl("", { protocol: "https:", host: "console.example.com" })).toBe("wss://console.example.com");
  });

  it("derives ws:// from an http page's host, port included, when empty or unset", () => {
    expect(resolveWsUrl(undefined, { protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080");
    expect(resolveWsUrl("  ", { protocol: "http:", host: "localhost:3000" })).toBe("ws://localhost:3000");
  });
});
