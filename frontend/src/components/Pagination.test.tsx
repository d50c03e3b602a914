import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Pagination } from "./Pagination";

describe("Pagination", () => {
  it("moves by one page and disables the ends", async () => {
    const onChange = vi.fn();
    const { rerender } = render(<Pagination total={25} limit={10} offset={0} onChange={onChange} />);
    expect(screen.getByTestId("page-info")).toHaveTextContent("Page 1 of 3 · 1–10 of 25");
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(onChange).toHaveBeenLastCalledWith(10);

    rerender(<Pagination total={25} limit={10} offset={20} onChange={onChange} />);
    expect(screen.getByTestId("page-info")).toHaveTextContent("Page 3 of 3 · 21–25 of 25");
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(onChange).toHaveBeenLastCalledWith(10);
  });

  it("handles an empty list", () => {
    render(<Pagination total={0} limit={10} offset={0} onChange={vi.fn()} />);
    expect(screen.getByTestId("page-info")).toHaveTextContent("Page 1 of 1 · 0–0 of 0");
  });
});
