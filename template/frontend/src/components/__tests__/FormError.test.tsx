import { cleanup, render, screen } from "@testing-library/react"
import { afterEach, describe, expect, it } from "vitest"
import { MizanError } from "../../api"
import { FormError } from "../FormError"

afterEach(cleanup)

describe("FormError", () => {
  it("stays empty when every message belongs to a field", () => {
    const error = new MizanError("VALIDATION_ERROR", "Invalid input.", { details: { fields: { title: ["short"] } } })
    const { container } = render(<FormError error={error} />)

    expect(container.textContent).toBe("")
  })

  it("shows the whole-input messages", () => {
    const error = new MizanError("VALIDATION_ERROR", "Invalid input.", { details: { fields: { "": ["Pick one."] } } })
    render(<FormError error={error} />)

    expect(screen.getByRole("alert").textContent).toBe("Pick one.")
  })

  it("shows any other failure's message", () => {
    render(<FormError error={new MizanError("UNAUTHORIZED", "Log in first.", { status: 401 })} />)

    expect(screen.getByRole("alert").textContent).toBe("Log in first.")
  })

  it("puts a failure the user did not cause in plain words", () => {
    render(<FormError error={new MizanError("NETWORK_ERROR", "Failed to fetch")} />)

    expect(screen.getByRole("alert").textContent).toBe(
      "The server could not be reached. Check your connection and try again.",
    )
  })
})
