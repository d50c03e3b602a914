import { vi } from "vitest";
import { HttpError, type ApiClient } from "../api/client";
import type { Agent, Health, NewAgent } from "../api/types";

export function makeAgent(n: number, overrides: Partial<Agent> = {}): Agent {
  return {
    id: `id-${n}`,
    name: `agent-${n}`,
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    system_prompt: "",
    created_at: "2026-01-08T10:00:00Z",
    updated_at: "2026-01-08T10:00:00Z",
    ...overrides,
  };
}

/** An in-memory backend with the same contract as the real one. */
export function fakeApi(initial: Agent[] = [], health: Health = { status: "pass", version: "1.2.3" }) {
  const agents = [...initial];
  let next = initial.length + 1;
  const api = {
    getHealth: vi.fn(() => Promise.resolve(health)),
    listAgents: vi.fn(({ limit, offset }: { limit: number; offset: number }) =>
      Promise.resolve({ items: agents.slice(offset, offset + limit), total: agents.length, limit, offset }),
    ),
    createAgent: vi.fn((input: NewAgent) => {
      if (agents.some((a) => a.name === input.name)) {
        return Promise.reject(new HttpError(409, `Agent "${input.name}" already exists`));
      }
      const agent = makeAgent(next++, input);
      agents.push(agent);
      return Promise.resolve(agent);
    }),
    deleteAgent: vi.fn((id: Agent["id"]) => {
      const index = agents.findIndex((a) => a.id === id);
      if (index < 0) return Promise.reject(new HttpError(404, "Agent not found"));
      agents.splice(index, 1);
      return Promise.resolve();
    }),
  } satisfies ApiClient;
  return { api, agents };
}
