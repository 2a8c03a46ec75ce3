import { describe, expect, it } from "vitest"
import { MizanError, toMizanError } from "../index.js"

describe("MizanError", () => {
  it("carries code, message, details and status", () => {
    const error = new MizanError("FORBIDDEN", "Staff only.", { status: 403, details: { need: "staff" } })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: "MizanError", code: "FORBIDDEN", message: "Staff only.", status: 403, details: { need: "staff" } })
    expect(error.isAuthError()).toBe(true)
    expect(error.isValidationError()).toBe(false)
  })

  it("answers field paths, the whole input being \"\"", () => {
    const error = new MizanError("VALIDATION_ERROR", "Invalid.", { details: { fields: { "": ["Passwords differ."], "items.0.qty": ["Too many."] } } })
    expect(error.getFieldErrors("")).toEqual(["Passwords differ."])
    expect(error.getFieldErrors("items.0.qty")).toEqual(["Too many."])
    expect(error.getFieldErrors("items.1.qty")).toEqual([])
    expect(new MizanError("NOT_FOUND", "gone").getFieldErrors("x")).toEqual([])
  })
})

describe("toMizanError", () => {
  it("keeps a MizanError and wraps anything else, keeping the cause", () => {
    const original = new MizanError("TIMEOUT", "slow")
    expect(toMizanError(original)).toBe(original)
    const cause = new TypeError("fetch failed")
    expect(toMizanError(cause)).toMatchObject({ code: "NETWORK_ERROR", message: "fetch failed", cause })
  })
})
