/**
 * hello-ci smoke, the built CLI, against the built console behind nginx with the project's nginx template, proxying
 * /api/ to the backend under uvicorn with PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { agentPageSchema } from "../../src/schemas/agents.js";
import { healthReportSchema } from "../../src/schemas/health.js";
import { json, runCli } from "../support/cli.js";
import { freePort, startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let base: string;

const smokeOutput = healthReportSchema.extend({
  agent: z.object({ name: z.string().regex(/^smoke-\d{8}T\d{6}Z-[0-9a-f]{6}$/), id: z.uuid().optional(), kept: z.boolean(), deleted: z.boolean() }).strict().optional(),
});

async function agentNames(): Promise<string[]> {
  const res = await fetch(`${stack.backend.url}/api/agents?limit=100`);
  return agentPageSchema.parse(await res.json()).items.map((a) => a.name);
}

beforeAll(async () => {
  stack = await startStack({ nginx: true });
  base = stack.nginx?.url as string;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("smoke against nginx + backend", () => {
  it("passes the read-only suite and writes nothing", async () => {
    const before = await agentNames();
    const result = await runCli(["smoke", "--url", base, "--json"]);
    const out = smokeOutput.parse(json(result));
    expect(out.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["console", "pass"],
      ["spa-deep-link", "pass"],
      ["frontend-health", "pass"],
      ["api-health", "pass"],
      ["api-agents-list", "pass"],
      ["console-asset-gzip", "pass"],
    ]);
    expect(result.code).toBe(0);
    expect(out.agent).toBeUndefined();
    expect(await agentNames()).toEqual(before);
  });

  it("creates, reads, lists and deletes an agent with --write, and leaves none behind", async () => {
    const result = await runCli(["smoke", "--url", base, "--write", "--json"]);
    const out = smokeOutput.parse(json(result));
    expect(result.code).toBe(0);
    expect(out.verdict).toBe("pass");
    expect(out.checks.slice(6).map((c) => [c.name, c.verdict])).toEqual([
      ["agent-create", "pass"],
      ["agent-read", "pass"],
      ["agent-listed", "pass"],
      ["agent-delete", "pass"],
      ["agent-gone", "pass"],
    ]);
    expect(out.agent).toMatchObject({ kept: false, deleted: true });
    expect((await agentNames()).filter((n) => n.startsWith("smoke-"))).toEqual([]);
  });

  it("keeps the agent with --keep and prints its name", async () => {
    const result = await runCli(["smoke", "--url", base, "--write", "--keep"]);
    expect(result.code).toBe(0);
    const name = /smoke agent: (smoke-\S+) \(kept\)/.exec(result.stdout)?.[1];
    expect(name).toBeDefined();
    expect(await agentNames()).toContain(name);
    const page = agentPageSchema.parse(await (await fetch(`${stack.backend.url}/api/agents?limit=100`)).json());
    for (const agent of page.items.filter((a) => a.name === name)) {
      expect((await fetch(`${stack.backend.url}/api/agents/${agent.id}`, { method: "DELETE" })).status).toBe(204);
    }
  });

  it("fails when the security headers are missing (the backend without nginx), naming the header", async () => {
    const result = await runCli(["smoke", "--url", stack.backend.url, "--json"]);
    const out = smokeOutput.parse(json(result));
    expect(result.code).toBe(1);
    const consoleFailures = out.checks.find((c) => c.name === "console")?.assertions.filter((a) => !a.ok).map((a) => a.assertion);
    expect(consoleFailures).toContain("status");
    expect(consoleFailures).toContain('header["content-security-policy"]');
  });

  it("exits 3 when nothing answers", async () => {
    const result = await runCli(["smoke", "--url", `http://127.0.0.1:${await freePort()}`, "--write", "--retries", "0", "--json"]);
    expect(result.code).toBe(3);
    expect(smokeOutput.parse(json(result)).verdict).toBe("unreachable");
  });
});
