import { describe, expect, it } from "vitest"
import { MizanError, mizanErrorText, MizanProviderMissingError } from "../index.js"

describe("mizanErrorText", () => {
  it("keeps the messages a function's author wrote for people", () => {
    expect(mizanErrorText(new MizanError("UNAUTHORIZED", "Log in to add items."))).toBe("Log in to add items.")
    expect(mizanErrorText(new MizanError("FORBIDDEN", "Only the author may delete it."))).toBe("Only the author may delete it.")
    expect(mizanErrorText(new MizanError("NOT_FOUND", "No such list."))).toBe("No such list.")
    const whole = new MizanError("VALIDATION_ERROR", "Invalid input.", { details: { fields: { "": ["The dates overlap."] } } })
    expect(mizanErrorText(whole)).toBe("The dates overlap.")
  })

  it("puts transport failures and server faults in plain words", () => {
    expect(mizanErrorText(new MizanError("NETWORK_ERROR", "Failed to fetch"))).toBe(
      "The server could not be reached. Check your connection and try again.",
    )
    expect(mizanErrorText(new MizanError("TIMEOUT", "todo_list took longer than 30000 ms"))).toBe("The server took too long to answer. Try again.")
    for (const code of ["INTERNAL_ERROR", "BAD_RESPONSE", "BAD_REQUEST", "METHOD_NOT_ALLOWED", "NOT_IMPLEMENTED"]) {
      expect(mizanErrorText(new MizanError(code, "Internal server error."))).toBe("Something went wrong on our side. Try again in a moment.")
    }
  })

  it("says how long to wait when rate limited", () => {
    expect(mizanErrorText(new MizanError("RATE_LIMITED", "x", { details: { retry_after: 1 } }))).toBe("Too many attempts. Try again in 1 second.")
    expect(mizanErrorText(new MizanError("RATE_LIMITED", "x", { details: { retry_after: 42.2 } }))).toBe("Too many attempts. Try again in 43 seconds.")
    expect(mizanErrorText(new MizanError("RATE_LIMITED", "x", { details: { retry_after: 600 } }))).toBe("Too many attempts. Try again in 10 minutes.")
    expect(mizanErrorText(new MizanError("RATE_LIMITED", "x"))).toBe("Too many attempts. Wait a moment and try again.")
  })

  it("gives a render error a general sentence, never its developer message", () => {
    const text = mizanErrorText(new MizanProviderMissingError("todo", "TodoProvider"))
    expect(text).toBe("Something went wrong while showing this part of the page. Try again, or reload the page.")
  })
})
