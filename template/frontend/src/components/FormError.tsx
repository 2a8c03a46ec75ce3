import { mizanErrorText } from "mizan-js/react"
import type { MizanError } from "../api"

/**
 * An error that belongs to no single field: a whole-input validation message, or any other failure in words
 * for the user (mizanErrorText: "The server could not be reached…", not "Failed to fetch").
 */
export function FormError({ error }: { error: MizanError | null }) {
  if (!error) return null
  let message = mizanErrorText(error)
  if (error.isValidationError()) {
    const whole = error.getFieldErrors("")
    const atFields = Object.keys(error.details.fields ?? {}).some((path) => path !== "")
    if (whole.length === 0 && atFields) return null // each message is shown at its field
    if (whole.length > 0) message = whole.join(" ")
  }
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  )
}
