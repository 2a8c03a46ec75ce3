/** Reads one answer envelope (PROTOCOL §2): `{"result", "invalidate"}` or `{"error": {code, message, details}}`. */

import { MizanError, type MizanErrorDetails } from "./mizanError.js"

export type Outcome = { ok: true; result: unknown } | { ok: false; error: MizanError }

// A batch answers 200 overall, so an error inside it gets the status its code has on a single call.
const STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  VALIDATION_ERROR: 422,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
}

/** The outcome of one envelope; `status` is the HTTP status it came with, or 0 for an entry of a batch. */
export function readEnvelope(envelope: unknown, status: number, fn: string): Outcome {
  const error = isObject(envelope) ? envelope.error : undefined
  if (isObject(error) && typeof error.code === "string") {
    const details = isObject(error.details) ? (error.details as MizanErrorDetails) : {}
    const message = typeof error.message === "string" ? error.message : error.code
    return { ok: false, error: new MizanError(error.code, message, { details, status: status || STATUS_OF_CODE[error.code] || 0 }) }
  }
  if (status >= 400 || !isObject(envelope) || !("result" in envelope)) {
    return { ok: false, error: badResponse(fn, status, "is not a Mizan envelope ({\"result\": ...} or {\"error\": ...})") }
  }
  return { ok: true, result: envelope.result }
}

export function badResponse(fn: string, status: number, what: string): MizanError {
  return new MizanError("BAD_RESPONSE", `The answer to ${fn} (HTTP ${status}) ${what}: is baseUrl pointing at the Mizan endpoint?`, { status })
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
