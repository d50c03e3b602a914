import { describe, expect, it } from "vitest";
import { TransportError } from "../http/transport.js";
import type { ResponseSample } from "../checks/evaluate.js";
import { defaultRunOptions, type Clock, type Probe, type ProbeRequest } from "../checks/run.js";
import { findScriptAsset, runSmoke, smokeAgentName, type SmokeInput } from "./suite.js";

const INDEX = '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const SECURITY = {
  "content-security-policy": "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};
const ID = "7b0c5a52-8f43-4a4e-9b1e-0d7f0c1a2b3c";
const agentJson = (name: string) =>
  JSON.stringify({ id: ID, name, provider: "anthropic", model: "m", system_prompt: "", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" });

/** An in-memory platform: nginx + API, with switches to break one piece at a time. */
function fakePlatform(breaks: { noCsp?: boolean; noGzip?: boolean; readFails?: boolean; down?: boolean } = {}) {
  const agents = new Map<string, string>();
  const calls: string[] = [];
  const r = (status: number, body: string, headers: Record<string, string> = {}): ResponseSample => ({ status, headers, bodyText: body, durationMs: 3 });
  const html = () => r(200, INDEX, { "content-type": "text/html", ...(breaks.noCsp ? { "x-content-type-options": "nosniff" } : SECURITY) });
  const probe: Probe = {
    async request(req: ProbeRequest) {
      const { pathname } = new URL(req.url);
      calls.push(`${req.method} ${pathname}`);
      if (breaks.down) throw new TransportError("connection refused by fake (ECONNREFUSED)", { kind: "refused", retriable: true, answered: false });
      if (pathname === "/" || pathname.startsWith("/agents/")) return html();
      if (pathname === "/health") return r(200, "ok");
      if (pathname.startsWith("/assets/")) return r(200, "js", { "content-type": "application/javascript", ...(breaks.noGzip ? {} : { "content-encoding": "gzip" }) });
      if (pathname === "/api/health") return r(200, '{"status":"pass"}', { "content-type": "application/health+json" });
      if (pathname === "/api/agents" && req.method === "GET") {
        const items = [...agents.values()].map((a) => JSON.parse(a) as unknown);
        return r(200, JSON.stringify({ items, total: items.length, limit: 100, offset: 0 }), { "content-type": "application/json" });
      }
      if (pathname === "/api/agents" && req.method === "POST") {
        const { name } = JSON.parse(req.body ?? "{}") as { name: string };
        agents.set(ID, agentJson(name));
        return r(201, agentJson(name), { "content-type": "application/json" });
      }
      if (pathname === `/api/agents/${ID}`) {
        if (req.method === "DELETE") return agents.delete(ID) ? r(204, "") : r(404, '{"detail":"not found"}');
        if (breaks.readFails) return r(500, '{"detail":"boom"}');
        const a = agents.get(ID);
        return a ? r(200, a, { "content-type": "application/json" }) : r(404, '{"detail":"not found"}');
      }
      return r(404, "");
    },
    inspectTls: () => Promise.reject(new Error("no TLS here")),
  };
  return { probe, agents, calls };
}

let t = 0;
const clock: Clock = { monotonicMs: () => t, now: () => new Date("2026-01-02T03:04:05.678Z"), sleep: async (ms) => void (t += ms) };
const input = (extra: Partial<SmokeInput> = {}): SmokeInput => ({ baseUrl: "http://console", write: false, keep: false, agentName: "smoke-x", budgetMs: 1000, ...extra });
const opts = { ...defaultRunOptions, retries: 0 };

describe("smoke suite", () => {
  it("passes a healthy platform without writing anything by default", async () => {
    const platform = fakePlatform();
    const { report, agent } = await runSmoke(input(), platform.probe, clock, opts);
    expect(report.verdict).toBe("pass");
    expect(report.checks.map((c) => c.name)).toEqual(["console", "spa-deep-link", "frontend-health", "api-health", "api-agents-list", "console-asset-gzip"]);
    expect(platform.calls.some((c) => !c.startsWith("GET"))).toBe(false);
    expect(agent).toBeUndefined();
  });

  it.each([
    ["a missing CSP", { noCsp: true }, "console", 'header["content-security-policy"]'],
    ["an asset served without gzip", { noGzip: true }, "console-asset-gzip", 'header["content-encoding"]'],
  ])("fails on %s and names the assertion", async (_name, breaks, check, assertion) => {
    const { report } = await runSmoke(input(), fakePlatform(breaks).probe, clock, opts);
    expect(report.verdict).toBe("fail");
    const failed = report.checks.find((c) => c.name === check)?.assertions.filter((a) => !a.ok);
    expect(failed?.[0]?.assertion).toBe(assertion);
  });

  it("creates, reads, lists and deletes the agent with --write", async () => {
    const platform = fakePlatform();
    const { report, agent } = await runSmoke(input({ write: true }), platform.probe, clock, opts);
    expect(report.verdict).toBe("pass");
    expect(report.checks.slice(6).map((c) => c.name)).toEqual(["agent-create", "agent-read", "agent-listed", "agent-delete", "agent-gone"]);
    expect(agent).toEqual({ name: "smoke-x", id: ID, kept: false, deleted: true });
    expect(platform.agents.size).toBe(0);
  });

  it("cleans up the agent when a step after create fails", async () => {
    const platform = fakePlatform({ readFails: true });
    const { report, agent } = await runSmoke(input({ write: true }), platform.probe, clock, opts);
    expect(report.verdict).toBe("fail");
    expect(report.checks.find((c) => c.name === "agent-read")?.verdict).toBe("fail");
    expect(platform.agents.size).toBe(0);
    expect(agent?.deleted).toBe(true);
  });

  it("keeps the agent with --keep and says so", async () => {
    const platform = fakePlatform();
    const { agent } = await runSmoke(input({ write: true, keep: true }), platform.probe, clock, opts);
    expect(agent).toEqual({ name: "smoke-x", id: ID, kept: true, deleted: false });
    expect(platform.agents.size).toBe(1);
    expect(platform.calls).not.toContain(`DELETE /api/agents/${ID}`);
  });

  it("is unreachable when nothing answers", async () => {
    const { report } = await runSmoke(input({ write: true }), fakePlatform({ down: true }).probe, clock, opts);
    expect(report.verdict).toBe("unreachable");
  });
});

describe("smoke helpers", () => {
  it.each([
    [INDEX, "/assets/index-abc123.js"],
    ["<script>inline()</script><script src='/a.js' defer></script>", "/a.js"],
    ['<link rel="modulepreload" href="/x.js">', undefined],
  ])("finds the script asset in %s", (html, asset) => {
    expect(findScriptAsset(html)).toBe(asset);
  });

  it("names agents smoke-<UTC timestamp>-<random>", () => {
    expect(smokeAgentName(new Date("2026-01-02T03:04:05.678Z"), "a1b2c3")).toBe("smoke-20260102T030405Z-a1b2c3");
  });
});
