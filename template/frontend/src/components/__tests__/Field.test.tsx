import { cleanup, fireEvent, render, screen } from "@testing-library/react"
import { afterEach, describe, expect, it } from "vitest"
import { MizanError } from "../../api"
import { Field } from "../Field"

afterEach(cleanup)

function validationError(fields: Record<string, string[]>): MizanError {
  return new MizanError("VALIDATION_ERROR", "Invalid input.", { details: { fields }, status: 422 })
}

describe("Field", () => {
  it("shows the server's messages for its own path and links them to the input", () => {
    const error = validationError({ title: ["String should have at least 3 characters"], other: ["not mine"] })
    render(<Field id="t" label="Title" path="title" error={error} value="ab" onChange={() => undefined} />)

    const input = screen.getByLabelText("Title")
    expect(input.getAttribute("aria-invalid")).toBe("true")
    const message = document.getElementById(input.getAttribute("aria-describedby") ?? "")
    expect(message?.textContent).toBe("String should have at least 3 characters")
    expect(screen.queryByText("not mine")).toBeNull()
  })

  it("shows nothing when the error names other fields only", () => {
    render(
      <Field
        id="t"
        label="Title"
        path="title"
        error={validationError({ username: ["taken"] })}
        value=""
        onChange={() => undefined}
      />,
    )

    expect(screen.getByLabelText("Title").getAttribute("aria-invalid")).toBe("false")
    expect(screen.queryByRole("alert")).toBeNull()
  })

  it("reports each edit", () => {
    const seen: string[] = []
    render(<Field id="t" label="Title" path="title" error={null} value="" onChange={(value) => seen.push(value)} />)

    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Buy milk" } })

    expect(seen).toEqual(["Buy milk"])
  })
})
