export const PROVIDERS = ["anthropic", "openai"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The backend may use integer or UUID ids; both are treated as opaque. */
export type AgentId = string | number;

export interface Agent {
  id: AgentId;
  name: string;
  provider: Provider;
  model: string;
  system_prompt: string;
  created_at: string;
  updated_at: string;
}

export interface AgentPage {
  items: Agent[];
  total: number;
  limit: number;
  offset: number;
}

export interface NewAgent {
  name: string;
  provider: Provider;
  model: string;
  system_prompt: string;
}

/** IETF "Health Check Response Format for HTTP APIs" (draft-inadarei-api-health-check). */
export type HealthStatus = "pass" | "warn" | "fail";

export interface Health {
  status: HealthStatus;
  version?: string;
  checks?: Record<string, unknown>;
}
