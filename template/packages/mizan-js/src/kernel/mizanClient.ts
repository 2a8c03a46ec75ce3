/**
 * The transport: calls a Mizan backend over fetch, coalesces the calls of one tick into one `/batch/` request,
 * and applies the invalidation keys of every answer to the QueryClients it serves. A context read that was
 * answered before is revalidated on its own GET with `If-None-Match`, so a refetch that finds nothing new costs
 * a `304` with no body.
 */

import type { QueryClient } from "@tanstack/query-core"
import { readCookie } from "./csrf.js"
import { ReadValidators, readPath } from "./conditionalRead.js"
import { badResponse, isObject, readEnvelope, type Outcome } from "./envelope.js"
import { applyInvalidation } from "./invalidate.js"
import { readInvalidationKeys } from "./invalidationKey.js"
import { MizanError } from "./mizanError.js"
import { clientsByQueryClient } from "./queryClientRegistry.js"
import type { CallTransport } from "./socketCalls.js"

export interface MizanClientOptions {
  /** Where `mizan.urls` is mounted; default `/api/mizan`. */
  baseUrl?: string
  /** A QueryClient to serve: its `["mizan", ...]` queries are invalidated by this client's answers. */
  queryClient?: QueryClient
  /** fetch's `credentials`; default `same-origin` (the Django session cookie goes along). */
  credentials?: RequestCredentials
  /** Extra headers on every request (an auth header, a tracing id). */
  headers?: Record<string, string>
  /** Per-call timeout in milliseconds; default 30000, 0 for none. */
  timeoutMs?: number
  /** Coalesce the calls of one tick into one `/batch/` request; default true. */
  batch?: boolean
  /** The most calls one batch carries (the server's `MIZAN_MAX_BATCH_CALLS`); more are split. Default 100. */
  maxBatchCalls?: number
  /** Name of Django's CSRF cookie (`CSRF_COOKIE_NAME`); default `csrftoken`. */
  csrfCookieName?: string
  /** The fetch to use (SSR, tests); default the global one. */
  fetch?: typeof fetch
}

export interface CallOptions {
  /** Aborts this call (rejects with ABORTED); a batch it shares goes on for the other calls. */
  signal?: AbortSignal
  /** Overrides the client's timeout for this call (rejects with TIMEOUT). */
  timeoutMs?: number
  /** Also invalidate in this QueryClient (the one running the query or mutation). */
  queryClient?: QueryClient
  /** Hash of the query this call reads for, which its own answer must not invalidate. */
  queryHash?: string
  /** A context read: alone in its tick, or once it has an ETag, it goes as a GET (PROTOCOL §2). */
  read?: boolean
}

/** A failed call as `onError` listeners see it. */
export interface FailedCall {
  fn: string
  args: object
  error: MizanError
}

interface Request {
  method: "GET" | "POST"
  path: string
  body?: object
}

interface PendingCall extends CallOptions {
  fn: string
  args: object
  resolve(result: unknown): void
  reject(error: MizanError): void
}

/** A connection to one Mizan backend. Create one per backend; share it between QueryClients if you like. */
export class MizanClient {
  readonly baseUrl: string
  readonly #options: MizanClientOptions
  readonly #queryClients = new Set<QueryClient>()
  #queue: PendingCall[] = []
  readonly #validators = new ReadValidators()
  #sessionToken: Promise<string | undefined> | undefined
  #transport: CallTransport | undefined
  readonly #errorListeners = new Set<(failed: FailedCall) => void>()

  constructor(options: MizanClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? "/api/mizan").replace(/\/+$/, "")
    this.#options = options
    if (options.queryClient) this.connect(options.queryClient)
  }

  /** Serve `queryClient`: its query functions find this client, and this client's answers invalidate it. */
  connect(queryClient: QueryClient): this {
    clientsByQueryClient.set(queryClient, this)
    this.#queryClients.add(queryClient)
    return this
  }

  /** Stop serving `queryClient`. */
  disconnect(queryClient: QueryClient): void {
    if (clientsByQueryClient.get(queryClient) === this) clientsByQueryClient.delete(queryClient)
    this.#queryClients.delete(queryClient)
  }

  /** Sends the calls `transport` carries (`websocket=True` functions: the socket) through it; `undefined` stops. */
  setTransport(transport: CallTransport | undefined): void {
    this.#transport = transport
  }

  /** Calls the server function `fn`; resolves with its result once the keys its answer names are refetched. */
  call<R>(fn: string, args: object = {}, options: CallOptions = {}): Promise<R> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000
    const signal = anySignal(options.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined)
    const promise = this.#enqueue<R>(fn, args, options, signal)
    // A derived promise that settles either way: listening must not turn a handled rejection into an unhandled
    // one. Attached to every call, so a listener added while the call is in flight (a render's effect) hears it.
    promise.catch((error: MizanError) => this.#notifyError({ fn, args, error }))
    return promise
  }

  /**
   * Calls `listener` with every call that fails, whoever made it (a hook, a loader, `callXxx()`); the caller
   * still gets the rejection. The development overlay reads the server's errors here. Returns the unsubscribe.
   */
  onError(listener: (failed: FailedCall) => void): () => void {
    this.#errorListeners.add(listener)
    return () => void this.#errorListeners.delete(listener)
  }

  #notifyError(failed: FailedCall): void {
    for (const listener of [...this.#errorListeners]) {
      try {
        listener(failed)
      } catch (error) {
        // A broken listener must not hide the error from the others, nor from the caller.
        console.error("A MizanClient onError listener threw:", error)
      }
    }
  }

  #enqueue<R>(fn: string, args: object, options: CallOptions, signal: AbortSignal | undefined): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(fn, signal.reason))
      signal?.addEventListener("abort", () => reject(abortError(fn, signal.reason)), { once: true })
      if (this.#transport?.carries(fn)) {
        return void this.#transport.call<R>(fn, args, { ...options, signal }, this.#queryClients).then(resolve, reject)
      }
      this.#queue.push({ ...options, signal, fn, args, resolve: resolve as (result: unknown) => void, reject })
      // Everything called before the next macrotask (one render, one event handler) shares a request.
      if (this.#queue.length === 1) setTimeout(() => this.#flush(), 0)
    })
  }

  #flush(): void {
    const pending = this.#queue.filter((call) => !call.signal?.aborted)
    this.#queue = []
    // A read with an ETag may be a 304, which a batch cannot answer: it goes on its own GET. The rest share.
    const revalidations = pending.filter((call) => call.read && this.#validators.etag(call.fn, call.args) !== undefined)
    const calls = pending.filter((call) => !revalidations.includes(call))
    for (const call of revalidations) void this.#send(readRequest(call), [call])
    const size = this.#options.batch === false ? 1 : Math.max(1, this.#options.maxBatchCalls ?? 100)
    for (let start = 0; start < calls.length; start += size) {
      const chunk = calls.slice(start, start + size)
      if (chunk.length > 1) {
        const body = { calls: chunk.map(({ fn, args }) => ({ fn, args })) }
        void this.#send({ method: "POST", path: "batch/", body }, chunk)
      } else {
        const call = chunk[0]!
        void this.#send(call.read ? readRequest(call) : { method: "POST", path: callPath(call.fn), body: call.args }, chunk)
      }
    }
  }

  async #send(request: Request, calls: PendingCall[]): Promise<void> {
    const what = calls.length > 1 ? "the batch" : calls[0]!.fn
    // The request stops only once every call riding on it has given up.
    const controller = new AbortController()
    const giveUp = (): void => {
      if (calls.every((call) => call.signal?.aborted)) controller.abort()
    }
    for (const call of calls) call.signal?.addEventListener("abort", giveUp, { once: true })

    let response: Response
    let text: string
    let tokenFromSession = false
    const read = request.method === "GET" ? calls[0]! : undefined
    try {
      const headers: Record<string, string> = { Accept: "application/json", ...this.#options.headers }
      if (read) {
        const etag = this.#validators.etag(read.fn, read.args)
        if (etag) headers["If-None-Match"] = etag
      } else {
        headers["Content-Type"] = "application/json"
        let token = readCookie(this.#options.csrfCookieName ?? "csrftoken")
        if (!token) {
          token = await this.#fetchSessionToken()
          tokenFromSession = true
        }
        if (token) headers["X-CSRFToken"] = token
      }
      response = await this.#fetch(`${this.baseUrl}/${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        credentials: this.#options.credentials ?? "same-origin",
        // Our own If-None-Match must reach the server, and its 304 reach us, past the browser's HTTP cache.
        cache: read ? "no-store" : undefined,
        signal: controller.signal,
      })
      text = await response.text()
    } catch (error) {
      return settle(calls, () => error instanceof MizanError ? error : networkError(what, this.baseUrl, error))
    }
    if (read && response.status === 304) {
      const remembered = this.#validators.result(read.fn, read.args)
      if (remembered.found) return read.resolve(remembered.result)
      return read.reject(badResponse(what, 304, "is a 304 for a read this client never saw"))
    }
    // Django rotates the CSRF token at login; a refusal means the session's token may be stale.
    if (response.status === 403 && tokenFromSession) this.#sessionToken = undefined

    let payload: unknown
    try {
      payload = JSON.parse(text)
    } catch {
      return settle(calls, () => badResponse(what, response.status, `is not JSON (${JSON.stringify(text.slice(0, 80))})`))
    }
    const outcomes = this.#outcomes(payload, response.status, calls)
    if (read) {
      const outcome = outcomes[0]!
      this.#validators.remember(read.fn, read.args, outcome.ok ? response.headers.get("ETag") : null, outcome.ok ? outcome.result : undefined)
    }
    // A batch's top-level list is the union of its calls' keys: one pass for the whole answer.
    if (outcomes.some((outcome) => outcome.ok)) await this.#invalidate(readInvalidationKeys(payload, response.headers), calls)
    calls.forEach((call, index) => {
      const outcome = outcomes[index]!
      if (outcome.ok) call.resolve(outcome.result)
      else call.reject(outcome.error)
    })
  }

  #outcomes(payload: unknown, status: number, calls: PendingCall[]): Outcome[] {
    if (calls.length === 1) return [readEnvelope(payload, status, calls[0]!.fn)]
    const results = isObject(payload) ? payload.results : undefined
    if (status < 400 && Array.isArray(results) && results.length === calls.length) {
      return calls.map((call, index) => readEnvelope(results[index], 0, call.fn))
    }
    // A refused batch (CSRF, too large) gives every call its error; anything else is not a batch answer.
    const outcome = readEnvelope(isObject(payload) && "error" in payload ? payload : undefined, status, "the batch")
    return calls.map(() => outcome)
  }

  async #invalidate(keys: string[], calls: PendingCall[]): Promise<void> {
    if (keys.length === 0) return
    const skip = new Set(calls.map((call) => call.queryHash).filter((hash) => hash !== undefined))
    const queryClients = new Set(this.#queryClients)
    for (const call of calls) if (call.queryClient) queryClients.add(call.queryClient)
    await Promise.all([...queryClients].map((queryClient) => applyInvalidation(queryClient, keys, skip)))
  }

  // One session request serves every call until the token is refused.
  #fetchSessionToken(): Promise<string | undefined> {
    this.#sessionToken ??= this.#fetch(`${this.baseUrl}/session/`, {
      headers: { Accept: "application/json", ...this.#options.headers },
      credentials: this.#options.credentials ?? "same-origin",
    }).then(
      async (response) => {
        const body: unknown = await response.json().catch(() => undefined)
        // No session endpoint: go on without a token and let the server say whether it needs one.
        return isObject(body) && typeof body.csrfToken === "string" ? body.csrfToken : undefined
      },
      (error: unknown) => {
        this.#sessionToken = undefined
        throw networkError("the session", this.baseUrl, error)
      },
    )
    return this.#sessionToken
  }

  #fetch(url: string, init: RequestInit): Promise<Response> {
    return (this.#options.fetch ?? globalThis.fetch)(url, init)
  }
}

function callPath(fn: string): string {
  return `call/${encodeURIComponent(fn)}/`
}

function readRequest(call: PendingCall): Request {
  return { method: "GET", path: readPath(call.fn, call.args) }
}

// AbortSignal.any, for the browsers (Safari before 17.4) that lack it.
function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal) => signal !== undefined)
  if (present.length < 2) return present[0]
  const controller = new AbortController()
  for (const signal of present) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true })
  }
  return controller.signal
}

function settle(calls: PendingCall[], error: () => MizanError): void {
  for (const call of calls) call.reject(error())
}

function networkError(what: string, baseUrl: string, cause: unknown): MizanError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new MizanError("NETWORK_ERROR", `Could not reach ${baseUrl} for ${what}: ${reason}`, { cause })
}

function abortError(fn: string, reason: unknown): MizanError {
  const timedOut = reason instanceof DOMException && reason.name === "TimeoutError"
  return timedOut
    ? new MizanError("TIMEOUT", `${fn} took longer than its timeoutMs`, { cause: reason })
    : new MizanError("ABORTED", `${fn} was aborted`, { cause: reason })
}
