import { describe, expect, it } from "vitest";
import { maskSecrets, redactUrl, urlCredentials } from "./redact.js";

describe("redact: URLs", () => {
  it.each([
    ["https://user:secret@host.example/health", "https://***@host.example/health"],
    ["https://token@host.example/", "https://***@host.example/"],
    ["http://a%40b:p%3Ass@127.0.0.1:8080/x?y=1", "http://***@127.0.0.1:8080/x?y=1"],
    ["https://host.example/health", "https://host.example/health"],
    ["not a url", "not a url"],
  ])("%s → %s", (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe("redact: credentials on a command line", () => {
  it("collects the password (raw and decoded), or a lone user name, of every URL in the arguments", () => {
    expect(urlCredentials(["health-check", "--url", "https://ops:p%40ssw0rd@h/", "x=https://tok3n-abc@h2/"])).toEqual(["p%40ssw0rd", "p@ssw0rd", "tok3n-abc"]);
  });

  it("ignores URLs without credentials and credentials too short to mask safely", () => {
    expect(urlCredentials(["https://h/", "https://a:b@h/", "--json"])).toEqual([]);
  });

  it("masks every occurrence", () => {
    expect(maskSecrets("a p@ssw0rd b p@ssw0rd", ["p@ssw0rd"])).toBe("a *** b ***");
  });
});
