// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TEMPLATE_VARIABLES, UsageError, main, mainConfig, parseCli, renderTemplate } from "./render-nginx.mjs";

const values = { NGINX_PORT: "8080", STATIC_ROOT: "/srv/www", BACKEND_UPSTREAM: "backend:8000" };
const template = readFileSync(resolve(import.meta.dirname, "../nginx/default.conf.template"), "utf8");
const committedSnippet = readFileSync(resolve(import.meta.dirname, "../nginx/security-headers.conf"), "utf8");

describe("renderTemplate", () => {
  it("substitutes only the three listed variables and leaves nginx variables alone", () => {
    const out = renderTemplate("listen ${NGINX_PORT}; root $STATIC_ROOT; try_files $uri ${HOME} $NGINX_PORTX;", values);
    expect(out).toBe("listen 8080; root /srv/www; try_files $uri ${HOME} $NGINX_PORTX;");
  });

  it("renders the real template completely", () => {
    const out = renderTemplate(template, values);
    for (const name of TEMPLATE_VARIABLES) expect(out).not.toContain(name);
    expect(out).toContain("listen 8080;");
    expect(out).toContain("proxy_pass http://backend:8000;");
    expect(out).toContain("try_files $uri $uri/ /index.html;");
    expect(out).toContain("include snippets/security-headers.conf;");
  });
});

describe("parseCli", () => {
  it("applies defaults and resolves paths", () => {
    const options = parseCli(["--out", "run"]);
    expect(options).toMatchObject({ out: resolve("run"), port: 8080, backend: "127.0.0.1:8000", root: resolve("dist"), apiUrl: "", wsUrl: "" });
    expect(options.template).toMatch(/nginx[\\/]default\.conf\.template$/);
  });

  it.each([
    [[], /--out/],
    [["--out", "x", "--port", "99999"], /--port/],
    [["--out", "x", "--backend", "http://a:1"], /--backend/],
    [["--out", "x", "--nope"], /nope/],
    [["--out", "x", "--api-url", "api.example.test"], /^--api-url: VITE_API_URL must be empty .* absolute http:\/\/ or https:\/\/ URL/],
    [["--out", "x", "--ws-url", "https://ws.example.test"], /^--ws-url: VITE_WS_URL must be empty .* absolute ws:\/\/ or wss:\/\/ URL/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});

describe("main", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("writes a self-contained config tree", () => {
    const out = mkdtempSync(join(tmpdir(), "render-nginx-"));
    dirs.push(out);
    const stdout = vi.spyOn(process.stdout, "write").mockReturnValue(true);
    expect(main(["--out", out, "--port", "18080", "--backend", "127.0.0.1:9000", "--root", "/srv/app"])).toBe(0);
    expect(stdout).toHaveBeenCalledWith(`${join(out, "nginx.conf")}\n`);
    const conf = readFileSync(join(out, "nginx.conf"), "utf8");
    expect(conf).toBe(mainConfig({ workDir: out, mimeTypes: "/etc/nginx/mime.types" }));
    expect(conf).toContain(`pid "${join(out, "nginx.pid")}";`);
    expect(conf).toContain(`proxy_temp_path "${join(out, "tmp/proxy")}";`);
    const server = readFileSync(join(out, "conf.d", "default.conf"), "utf8");
    expect(server).toContain("listen 18080;");
    expect(server).toContain('root "/srv/app";');
    expect(readFileSync(join(out, "snippets", "security-headers.conf"), "utf8")).toBe(committedSnippet);
  });

  it("lists --api-url and --ws-url origins in the snippet's connect-src, and changes nothing else", () => {
    const out = mkdtempSync(join(tmpdir(), "render-nginx-"));
    dirs.push(out);
    vi.spyOn(process.stdout, "write").mockReturnValue(true);
    expect(main(["--out", out, "--api-url", "https://api.example.test/v1", "--ws-url", "wss://ws.example.test/socket"])).toBe(0);
    const snippet = readFileSync(join(out, "snippets", "security-headers.conf"), "utf8");
    const connectSrc = "connect-src 'self' https://api.example.test wss://ws.example.test";
    expect(snippet).toContain(`; ${connectSrc}; `);
    expect(snippet.replace(connectSrc, "connect-src 'self'")).toBe(committedSnippet);
  });

  it("exits 2 with a one-line message on bad input", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockReturnValue(true);
    expect(main(["--port", "1"])).toBe(2);
    expect(stderr).toHaveBeenCalledWith("render-nginx: --out DIR is required\n");
  });
});
