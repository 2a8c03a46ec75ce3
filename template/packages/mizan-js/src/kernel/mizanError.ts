/**
 * The one error type every Mizan call rejects with.
 *
 * Server codes (PROTOCOL §2): BAD_REQUEST, VALIDATION_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND,
 * METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, RATE_LIMITED, INTERNAL_ERROR, NOT_IMPLEMENTED.
 * Client codes: NETWORK_ERROR (fetch failed), BAD_RESPONSE (not JSON, or not a Mizan envelope),
 * TIMEOUT (the call's `timeoutMs` elapsed), ABORTED (the caller's AbortSignal fired).
 */

export type MizanErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "NOT_IMPLEMENTED"
  | "NETWORK_ERROR"
  | "BAD_RESPONSE"
  | "TIMEOUT"
  | "ABORTED"
  | (string & {})

export interface MizanErrorDetails {
  /** Dotted field path (`"address.zip"`, `"items.0.qty"`, `""` for the whole input) → messages. */
  fields?: Record<string, string[]>
  /** RATE_LIMITED: seconds until the caller may try again (also the answer's `Retry-After`). */
  retry_after?: number
  [key: string]: unknown
}

/** A failed Mizan call: the server's error envelope, or a transport failure turned into one. */
export class MizanError extends Error {
  override readonly name = "MizanError"
  readonly code: MizanErrorCode
  readonly details: MizanErrorDetails
  /** HTTP status of the answer; 0 when there was no answer (network, timeout, abort). */
  readonly status: number

  constructor(
    code: MizanErrorCode,
    message: string,
    { details = {}, status = 0, cause }: { details?: MizanErrorDetails; status?: number; cause?: unknown } = {},
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.code = code
    this.details = details
    this.status = status
  }

  /** Not logged in (UNAUTHORIZED) or not allowed (FORBIDDEN). */
  isAuthError(): boolean {
    return this.code === "UNAUTHORIZED" || this.code === "FORBIDDEN"
  }

  isValidationError(): boolean {
    return this.code === "VALIDATION_ERROR"
  }

  /** Messages for one field path (`"email"`, `"address.zip"`, `""` for the whole input); `[]` when none. */
  getFieldErrors(path: string): string[] {
    return this.details.fields?.[path] ?? []
  }
}

/** Any thrown value as a MizanError, so callers handle one type. */
export function toMizanError(error: unknown): MizanError {
  if (error instanceof MizanError) return error
  return new MizanError("NETWORK_ERROR", error instanceof Error ? error.message : String(error), { cause: error })
}
