import type { MizanError } from "../api"

/** An error that belongs to no single field: a whole-input validation message, or any other failure. */
export function FormError({ error }: { error: MizanError | null }) {
  if (!error) return null
  let message = error.message
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
