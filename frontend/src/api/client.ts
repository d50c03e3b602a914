import type { Agent, AgentId, AgentPage, Health, HealthStatus, NewAgent } from "./types";

/** Field name (last element of FastAPI's `loc`) → message. */
export type FieldErrors = Record<string, string>;

/** The server answered with a non-2xx status. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly fieldErrors: FieldErrors;

  constructor(status: number, message: string, fieldErrors: FieldErrors = {}) {
    super(message);
    this.status = status;
    this.fieldErrors = fieldErrors;
  }
}

/** The request never got an HTTP answer (offline, DNS, CORS, connection refused). */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
  constructor(cause: unknown) {
    super("Cannot reach the API. Check your connection and try again.", { cause });
  }
}

export type ApiError = HttpError | NetworkError;

interface ValidationIssue {
  loc?: unknown;
  msg?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Turns FastAPI's `{detail: string}` or `{detail: [{loc, msg}]}` into a message and field errors. */
export function parseErrorBody(status: number, statusText: string, body: unknown): HttpError {
  const fallback = `Request failed: HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
  if (!isRecord(body)) return new HttpError(status, fallback);
  const { detail } = body;
  if (typeof detail === "string" && detail.trim() !== "") return new HttpError(status, detail);
  if (Array.isArray(detail)) {
    const fieldErrors: FieldErrors = {};
    const general: string[] = [];
    for (const issue of detail as ValidationIssue[]) {
      const msg = typeof issue.msg === "string" ? issue.msg : "Invalid value";
      const loc = Array.isArray(issue.loc) ? (issue.loc as unknown[]) : [];
      const field = loc.length > 1 && loc[0] === "body" ? loc[loc.length - 1] : undefined;
      if (typeof field === "string" && !(field in fieldErrors)) fieldErrors[field] = msg;
      else general.push(msg);
    }
    const message =
      general.length > 0 ? general.join("; ") : "Some fields are invalid. Please correct them and try again.";
    return new HttpError(status, message, fieldErrors);
  }
  return new HttpError(status, fallback);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface ApiClientOptions {
  /** Prefix for every request; "" means same origin (`/api/...`). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

type RequestOptions = Omit<RequestInit, "headers"> & { headers?: Record<string, string> };

export interface ListAgentsParams {
  limit: number;
  offset: number;
}

const HEALTH_STATUSES: Record<string, HealthStatus> = {
  pass: "pass",
  ok: "pass",
  up: "pass",
  warn: "warn",
  fail: "fail",
  error: "fail",
  down: "fail",
};

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? "").replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(path: string, init: RequestOptions = {}): Promise<Response> {
    try {
      return await doFetch(`${baseUrl}${path}`, {
        ...init,
        headers: { Accept: "application/json", ...init.headers },
      });
    } catch (error) {
      throw new NetworkError(error);
    }
  }

  async function request<T>(path: string, init?: RequestOptions): Promise<T> {
    const response = await send(path, init);
    const body = await readJson(response);
    if (!response.ok) throw parseErrorBody(response.status, response.statusText, body);
    return body as T;
  }

  return {
    /** A 503 with a health document is an answer ("fail"), not an error. */
    async getHealth(): Promise<Health> {
      const response = await send("/api/health");
      const body = await readJson(response);
      if (isRecord(body) && typeof body.status === "string") {
        const status = HEALTH_STATUSES[body.status.toLowerCase()] ?? "fail";
        const health: Health = { status };
        if (typeof body.version === "string") health.version = body.version;
        if (isRecord(body.checks)) health.checks = body.checks;
        return health;
      }
      throw parseErrorBody(response.status, response.statusText, body);
    },

    listAgents({ limit, offset }: ListAgentsParams): Promise<AgentPage> {
      const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
      return request<AgentPage>(`/api/agents?${query.toString()}`);
    },

    createAgent(agent: NewAgent): Promise<Agent> {
      return request<Agent>("/api/agents", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(agent),
      });
    },

    async deleteAgent(id: AgentId): Promise<void> {
      await request<undefined>(`/api/agents/${encodeURIComponent(String(id))}`, { method: "DELETE" });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
