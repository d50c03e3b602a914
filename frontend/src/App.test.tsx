import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { HttpError, NetworkError } from "./api/client";
import { App } from "./App";
import { fakeApi, makeAgent } from "./test/fakeApi";

const many = (n: number) => Array.from({ length: n }, (_, i) => makeAgent(i + 1));

describe("App", () => {
  it("shows health and the first page of agents", async () => {
    const { api } = fakeApi(many(3));
    render(<App api={api} />);
    expect(screen.getByText("Loading agents…")).toBeInTheDocument();
    expect(await screen.findAllByTestId("agent-row")).toHaveLength(3);
    expect(screen.getByTestId("health-status")).toHaveTextContent("pass");
    expect(screen.getByTestId("health-version")).toHaveTextContent("v1.2.3");
    expect(api.listAgents).toHaveBeenCalledWith({ limit: 10, offset: 0 });
  });

  it("creates an agent and shows it in the list", async () => {
    const { api } = fakeApi();
    const user = userEvent.setup();
    render(<App api={api} />);
    expect(await screen.findByText(/no agents yet/i)).toBeInTheDocument();
    await user.type(screen.getByLabelText("Name"), "researcher");
    await user.type(screen.getByLabelText("Model"), "claude-sonnet-4-5");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    const row = await screen.findByTestId("agent-row");
    expect(row).toHaveTextContent("researcher");
    expect(screen.getByRole("status")).toHaveTextContent('Agent "researcher" created.');
  });

  it("shows the 409 message when the name is taken", async () => {
    const { api } = fakeApi([makeAgent(1, { name: "dup" })]);
    const user = userEvent.setup();
    render(<App api={api} />);
    await screen.findByTestId("agent-row");
    await user.type(screen.getByLabelText("Name"), "dup");
    await user.type(screen.getByLabelText("Model"), "gpt-4o");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('Agent "dup" already exists');
  });

  it("deletes an agent and steps back from an emptied last page", async () => {
    const { api } = fakeApi(many(3));
    const user = userEvent.setup();
    render(<App api={api} pageSize={2} />);
    await screen.findAllByTestId("agent-row");
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("agent-3")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Delete agent-3" }));
    expect(await screen.findByText("agent-1")).toBeInTheDocument();
    expect(screen.getAllByTestId("agent-row")).toHaveLength(2);
    expect(api.deleteAgent).toHaveBeenCalledWith("id-3");
    expect(screen.getByRole("status")).toHaveTextContent('Agent "agent-3" deleted.');
    expect(screen.getByTestId("page-info")).toHaveTextContent("Page 1 of 1");

    await user.click(screen.getByRole("button", { name: "Delete agent-1" }));
    // The old page stays on screen while the reload is in flight: wait for the row to go.
    await waitFor(() => expect(screen.queryByText("agent-1")).not.toBeInTheDocument());
    const rows = screen.getAllByTestId("agent-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("agent-2");
  });

  it("shows a dismissible alert when a delete fails", async () => {
    const { api } = fakeApi(many(1));
    api.deleteAgent.mockRejectedValueOnce(new HttpError(500, "Request failed: HTTP 500"));
    const user = userEvent.setup();
    render(<App api={api} />);
    await user.click(await screen.findByRole("button", { name: "Delete agent-1" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('Could not delete "agent-1": Request failed: HTTP 500');
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("agent-row")).toHaveLength(1);
  });

  it("shows a network failure while loading and recovers on refresh", async () => {
    const { api } = fakeApi(many(1));
    api.listAgents.mockRejectedValueOnce(new NetworkError(new TypeError("Failed to fetch")));
    const user = userEvent.setup();
    render(<App api={api} />);
    expect(await screen.findByRole("alert")).toHaveTextContent(/could not load agents: cannot reach the api/i);
    await user.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByTestId("agent-row")).toHaveTextContent("agent-1");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
