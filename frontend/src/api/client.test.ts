import { describe, expect, it, vi } from "vitest";
import { HttpError, NetworkError, createApiClient, errorMessage, parseErrorBody } from "./client";

function jsonResponse(status: number, body: unknown, statusText = "") {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    statusText,
    headers: { "Content-Type": "application/json" },
  });
}

function clientReturning(response: Response | Error, baseUrl = "") {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
  );
  return { fetch, api: createApiClient({ baseUrl, fetch }) };
}

const agent = {
  id: 1,
  name: "helper",
  provider: "openai",
  model: "gpt-4o",
  system_prompt: "Be brief.",
  created_at: "2026-01-08T10:00:00Z",
  updated_at: "2026-01-08T10:00:00Z",
};

describe("api client", () => {
  it("lists agents with limit and offset under the base URL", async () => {
    const page = { items: [agent], total: 1, limit: 5, offset: 10 };
    const { api, fetch } = clientReturning(jsonResponse(200, page), "https://api.example.com/");
    await expect(api.listAgents({ limit: 5, offset: 10 })).resolves.toEqual(page);
    expect(fetch).toHaveBeenCalledWith(
      "https://api.example.com/api/agents?limit=5&offset=10",
      expect.objectContaining({ headers: { Accept: "application/json" } }),
    );
  });

  it("posts a new agent as JSON and returns the created agent", async () => {
    const { api, fetch } = clientReturning(jsonResponse(201, agent));
    const input = { name: "helper", provider: "openai" as const, model: "gpt-4o", system_prompt: "Be brief." };
    await expect(api.createAgent(input)).resolves.toEqual(agent);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe("/api/agents");
    expect(init?.method).toBe("POST");
    expect(init?.headers).toEqual({ Accept: "application/json", "Content-Type": "application/json" });
    expect(JSON.parse(init?.body as string)).toEqual(input);
  });

  it("deletes by id and accepts an empty 204", async () => {
    const { api, fetch } = clientReturning(new Response(null, { status: 204 }));
    await expect(api.deleteAgent("a b")).resolves.toBeUndefined();
    expect(fetch).toHaveBeenCalledWith("/api/agents/a%20b", expect.objectContaining({ method: "DELETE" }));
  });

  it("turns a 422 into field errors keyed by the field name", async () => {
    const body = {
      detail: [
        { loc: ["body", "name"], msg: "String should have at least 1 character", type: "string_too_short" },
        { loc: ["body", "model"], msg: "Field required", type: "missing" },
      ],
    };
    const { api } = clientReturning(jsonResponse(422, body));
    const error = await api.createAgent({ name: "", provider: "anthropic", model: "", system_prompt: "" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 422,
      fieldErrors: { name: "String should have at least 1 character", model: "Field required" },
    });
  });

  it("uses the detail string of a 409 as the message", async () => {
    const { api } = clientReturning(jsonResponse(409, { detail: "Agent name already exists" }));
    await expect(api.listAgents({ limit: 1, offset: 0 })).rejects.toMatchObject({
      status: 409,
      message: "Agent name already exists",
    });
  });

  it("describes non-JSON errors by status", async () => {
    const { api } = clientReturning(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(api.listAgents({ limit: 1, offset: 0 })).rejects.toMatchObject({
      status: 502,
      message: "Request failed: HTTP 502 Bad Gateway",
    });
  });

  it("reports a network failure as NetworkError", async () => {
    const { api } = clientReturning(new TypeError("Failed to fetch"));
    const error = await api.listAgents({ limit: 1, offset: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(errorMessage(error)).toMatch(/cannot reach the api/i);
  });

  it("reads the health document, also from a 503", async () => {
    const ok = clientReturning(jsonResponse(200, { status: "pass", version: "1.2.3", checks: { db: [] } }));
    await expect(ok.api.getHealth()).resolves.toEqual({ status: "pass", version: "1.2.3", checks: { db: [] } });
    const failing = clientReturning(jsonResponse(503, { status: "fail" }));
    await expect(failing.api.getHealth()).resolves.toEqual({ status: "fail" });
    const legacy = clientReturning(jsonResponse(200, { status: "OK" }));
    await expect(legacy.api.getHealth()).resolves.toEqual({ status: "pass" });
    const odd = clientReturning(jsonResponse(200, { status: "maybe" }));
    await expect(odd.api.getHealth()).resolves.toEqual({ status: "fail" });
  });

  it("rejects a health answer without a status", async () => {
    const { api } = clientReturning(jsonResponse(404, { detail: "Not Found" }));
    await expect(api.getHealth()).rejects.toMatchObject({ status: 404, message: "Not Found" });
  });

  it("uses the global fetch by default", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockResolvedValue(jsonResponse(200, { status: "warn" }));
    await expect(createApiClient().getHealth()).resolves.toEqual({ status: "warn" });
    expect(spy).toHaveBeenCalledWith("/api/health", expect.anything());
  });
});

describe("parseErrorBody", () => {
  it("keeps validation messages that are not about a body field", () => {
    const error = parseErrorBody(422, "", { detail: [{ loc: ["query", "limit"], msg: "too large" }, { foo: 1 }] });
    expect(error.message).toBe("too large; Invalid value");
    expect(error.fieldErrors).toEqual({});
  });

  it("falls back to the status for unexpected bodies", () => {
    expect(parseErrorBody(500, "", "oops").message).toBe("Request failed: HTTP 500");
    expect(parseErrorBody(500, "", { detail: 42 }).message).toBe("Request failed: HTTP 500");
    expect(errorMessage("weird")).toBe("Something went wrong.");
  });
});
