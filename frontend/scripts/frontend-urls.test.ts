// @vitest-environment node
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  FrontendUrlError,
  SNIPPET_PATH,
  checkFrontendUrls,
  connectSources,
  main,
  securityHeaders,
  withConnectSrc,
} from "./frontend-urls.mjs";

const committed = readFileSync(SNIPPET_PATH, "utf8");
const csp = (snippet: string) => /Content-Security-Policy "([^"]+)"/.exec(snippet)?.[1] ?? "";
const connectSrc = (snippet: string) => csp(snippet).split("; ").find((d) => d.startsWith("connect-src "));

describe("checkFrontendUrls", () => {
  it("accepts empty values and absolute URLs of the right scheme, trimmed", () => {
    expect(checkFrontendUrls({})).toEqual({ apiUrl: "", wsUrl: "" });
    expect(checkFrontendUrls({ apiUrl: " https://api.example.com/v1 ", wsUrl: "ws://10.0.0.7:9000/socket" })).toEqual({
      apiUrl: "https://api.example.com/v1",
      wsUrl: "ws://10.0.0.7:9000/socket",
    });
  });

  it.each([
    [{ apiUrl: "api.example.com" }, /^VITE_API_URL must be empty \(same origin\) or an absolute http:\/\/ or https:\/\/ URL, got "api\.example\.com": set it to e\.g\. https:\/\/api\.example\.com/],
    [{ apiUrl: "/api" }, /^VITE_API_URL .*got "\/api"/],
    [{ apiUrl: "wss://api.example.com" }, /^VITE_API_URL /],
    [{ apiUrl: "https://user:pw@api.example.com" }, /credentials would be public/],
    [{ apiUrl: 'https://a"b;c$d.example' }, /host must be a DNS name/],
    [{ wsUrl: "https://ws.example.com" }, /^VITE_WS_URL must be empty \(same origin\) or an absolute ws:\/\/ or wss:\/\/ URL, got "https:\/\/ws\.example\.com": set it to e\.g\. wss:\/\//],
    [{ wsUrl: "wss://[::1]:8000/ws" }, /^VITE_WS_URL .*host must be a DNS name or IPv4/],
  ])("refuses %j with one line naming the variable and the fix", (urls, message) => {
    expect(() => checkFrontendUrls(urls)).toThrow(FrontendUrlError);
    expect(() => checkFrontendUrls(urls)).toThrow(message);
    try {
      checkFrontendUrls(urls);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("connectSources", () => {
  it("is 'self' alone when both URLs are empty", () => {
    expect(connectSources({ apiUrl: "", wsUrl: "" })).toEqual(["'self'"]);
  });

  it("lists the origin (scheme://host[:port]) of each URL after 'self', paths and default ports dropped", () => {
    expect(connectSources({ apiUrl: "https://API.example.test:443/v1/", wsUrl: "wss://ws.example.test:8443/socket" })).toEqual([
      "'self'",
      "https://api.example.test",
      "wss://ws.example.test:8443",
    ]);
    expect(connectSources({ wsUrl: "ws://10.0.0.7/ws" })).toEqual(["'self'", "ws://10.0.0.7"]);
    // Same host, two schemes: both listed (an http: source does not cover ws:).
    expect(connectSources({ apiUrl: "http://localhost:8000", wsUrl: "ws://localhost:8000/ws" })).toEqual([
      "'self'",
      "http://localhost:8000",
      "ws://localhost:8000",
    ]);
  });
});

describe("withConnectSrc", () => {
  it("leaves the committed snippet as it is for 'self' alone", () => {
    expect(withConnectSrc(committed, ["'self'"])).toBe(committed);
    expect(securityHeaders({})).toBe(committed);
  });

  it("changes connect-src and nothing else", () => {
    const out = securityHeaders({ apiUrl: "https://api.example.test", wsUrl: "wss://ws.example.test/socket" });
    expect(connectSrc(out)).toBe("connect-src 'self' https://api.example.test wss://ws.example.test");
    expect(out.replace(connectSrc(out) ?? "", "connect-src 'self'")).toBe(committed);
  });

  it("refuses a snippet without exactly one connect-src 'self'", () => {
    expect(() => withConnectSrc("add_header X-Frame-Options DENY;", ["'self'"])).toThrow(/exactly one "connect-src 'self'".*found 0/);
  });
});

describe("main (the image's build stage)", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const outDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "frontend-urls-"));
    dirs.push(dir);
    return dir;
  };

  it("writes the snippet for VITE_API_URL and VITE_WS_URL from the environment", async () => {
    vi.stubEnv("VITE_API_URL", "https://api.example.test");
    vi.stubEnv("VITE_WS_URL", "");
    const out = join(outDir(), "security-headers.conf");
    expect(await main(["--out", out])).toBe(0);
    expect(connectSrc(readFileSync(out, "utf8"))).toBe("connect-src 'self' https://api.example.test");
  });

  it("exits 2 with one line on a bad value or a missing --out", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockReturnValue(true);
    vi.stubEnv("VITE_WS_URL", "ftp://x");
    expect(await main(["--out", join(outDir(), "s.conf")])).toBe(2);
    expect(stderr).toHaveBeenLastCalledWith(expect.stringMatching(/^frontend-urls: VITE_WS_URL must be empty .*\n$/));
    expect(await main([])).toBe(2);
    expect(stderr).toHaveBeenLastCalledWith("frontend-urls: --out FILE is required\n");
  });
});

describe("vite build", () => {
  it("fails before bundling with one line naming the variable and the fix", () => {
    const root = resolve(import.meta.dirname, "..");
    const vite = join(root, "node_modules", "vite", "bin", "vite.js");
    const out = mkdtempSync(join(tmpdir(), "frontend-urls-vite-"));
    const result = spawnSync(process.execPath, [vite, "build", "--outDir", join(out, "dist")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, VITE_API_URL: "", VITE_WS_URL: "http://ws.example.test" },
    });
    rmSync(out, { recursive: true, force: true });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^vite: VITE_WS_URL must be empty \(same origin\) or an absolute ws:\/\/ or wss:\/\/ URL, got "http:\/\/ws\.example\.test": set it to e\.g\. wss:\/\/api\.example\.com\/ws or leave it empty\n$/);
  });
});
