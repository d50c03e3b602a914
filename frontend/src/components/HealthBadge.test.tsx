import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { NetworkError } from "../api/client";
import { HealthBadge } from "./HealthBadge";

describe("HealthBadge", () => {
  it("shows the status and version the backend reports", async () => {
    render(<HealthBadge api={{ getHealth: () => Promise.resolve({ status: "warn", version: "v2.0.1" }) }} />);
    expect(screen.getByTestId("health-status")).toHaveTextContent("checking");
    expect(await screen.findByText("warn")).toHaveAttribute("data-status", "warn");
    expect(screen.getByTestId("health-version")).toHaveTextContent("v2.0.1");
  });

  it("shows fail when the backend cannot be reached", async () => {
    const getHealth = vi.fn(() => Promise.reject(new NetworkError(new TypeError("Failed to fetch"))));
    render(<HealthBadge api={{ getHealth }} />);
    expect(await screen.findByText("fail")).toHaveAttribute("title", expect.stringMatching(/cannot reach/i));
    expect(screen.getByText(/unreachable/)).toBeInTheDocument();
    expect(screen.queryByTestId("health-version")).not.toBeInTheDocument();
  });
});
