import { MizanError } from "../kernel/index.js"

/**
 * A sentence for the person using the page, for any error a call or a component gave. The server's message is
 * kept where the function's author wrote it for people (validation, auth, not found); transport failures and
 * server faults get plain words instead of "Failed to fetch" or "Internal server error.".
 */
export function mizanErrorText(error: unknown): string {
  if (!(error instanceof MizanError)) return "Something went wrong while showing this part of the page. Try again, or reload the page."
  switch (error.code) {
    case "VALIDATION_ERROR":
      return error.getFieldErrors("").join(" ") || error.message || "Some of the values need a change."
    case "UNAUTHORIZED":
      return error.message || "Log in to do this."
    case "FORBIDDEN":
      return error.message || "Your account is not allowed to do this."
    case "NOT_FOUND":
      return error.message || "This was not found; it may have been removed."
    case "RATE_LIMITED": {
      const seconds = error.details.retry_after
      return typeof seconds === "number" && seconds > 0
        ? `Too many attempts. Try again in ${formatWait(seconds)}.`
        : "Too many attempts. Wait a moment and try again."
    }
    case "NETWORK_ERROR":
      return "The server could not be reached. Check your connection and try again."
    case "TIMEOUT":
      return "The server took too long to answer. Try again."
    case "ABORTED":
      return "The request was cancelled."
    case "PAYLOAD_TOO_LARGE":
      return "That is too much to send at once. Send less and try again."
    default:
      // INTERNAL_ERROR, BAD_REQUEST, BAD_RESPONSE, METHOD_NOT_ALLOWED, NOT_IMPLEMENTED: a fault, not the user's.
      return "Something went wrong on our side. Try again in a moment."
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? "" : "s"}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minutes`
}
