import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { HttpError, NetworkError } from "../api/client";
import { AgentForm } from "./AgentForm";

async function fillAndSubmit(name = "writer", model = "gpt-4o") {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Name"), `  ${name} `);
  await user.selectOptions(screen.getByLabelText("Provider"), "openai");
  await user.type(screen.getByLabelText("Model"), model);
  await user.type(screen.getByLabelText("System prompt"), "You write.");
  await user.click(screen.getByRole("button", { name: "Create agent" }));
}

describe("AgentForm", () => {
  it("submits trimmed values and clears the form", async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    render(<AgentForm onSubmit={onSubmit} />);
    expect(screen.getByLabelText("Model")).toHaveAttribute("placeholder", "e.g. claude-sonnet-4-5");
    await fillAndSubmit();
    await waitFor(() => expect(screen.getByLabelText("Name")).toHaveValue(""));
    expect(onSubmit).toHaveBeenCalledWith({
      name: "writer",
      provider: "openai",
      model: "gpt-4o",
      system_prompt: "You write.",
    });
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows validation errors next to the fields", async () => {
    const onSubmit = vi.fn(() =>
      Promise.reject(new HttpError(422, "Some fields are invalid.", { model: "Unknown model", provider: "Bad" })),
    );
    render(<AgentForm onSubmit={onSubmit} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Some fields are invalid.");
    const model = screen.getByLabelText("Model");
    expect(model).toHaveAttribute("aria-invalid", "true");
    expect(model).toHaveAccessibleDescription("Unknown model");
    expect(screen.getByLabelText("Provider")).toHaveAccessibleDescription("Bad");
    expect(screen.getByLabelText("Name")).toHaveValue("  writer ");
  });

  it("marks the name on a duplicate (409)", async () => {
    render(<AgentForm onSubmit={() => Promise.reject(new HttpError(409, "Name already taken"))} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Name already taken");
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription("Name already taken");
  });

  it("reports a network failure", async () => {
    render(<AgentForm onSubmit={() => Promise.reject(new NetworkError(new TypeError("offline")))} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent(/cannot reach the api/i);
    expect(screen.getByLabelText("Name")).not.toHaveAttribute("aria-invalid");
  });
});
