/**
 * The multiplexed socket of PROTOCOL §6: one WebSocket per tab carrying calls, channel subscriptions and
 * watched invalidation keys. It opens when something first needs it, keeps frames sent while connecting until
 * the socket is open (each request bounded by its caller's signal), and reconnects with exponential backoff
 * and jitter; what to redo after a reconnect (re-watch, re-subscribe) belongs to whoever listens to `onOpen`.
 */

import { isObject } from "./envelope.js"
import { MizanError } from "./mizanError.js"

/** `idle` before anything needed the socket; `disconnected` while it waits to reconnect (or after close()). */
export type SocketStatus = "idle" | "connecting" | "connected" | "disconnected"

/** What the socket needs of a WebSocket: the browser's, or `ws` in Node (which takes headers). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(type: "open" | "close" | "message" | "error", listener: (event: never) => void): void
}

/** A frame the server sent that answers no request: `{"sub", "message"}`, `{"invalidate"}` or `{"resync"}`. */
export type SocketPush = Record<string, unknown>

export interface MizanSocketOptions {
  /** The socket's URL; default `ws(s)://<host>/ws/mizan/` of the client's baseUrl, or of this page. */
  url?: string
  /** Makes the WebSocket (tests, Node: `(url) => new WebSocket(url, { origin, headers })` from `ws`). */
  createWebSocket?: (url: string) => WebSocketLike
  /** First reconnect delay in ms, doubled on each failed attempt; default 500. */
  reconnectMinMs?: number
  /** Longest reconnect delay in ms; default 15000. Each delay is jittered down by up to half. */
  reconnectMaxMs?: number
}

interface Waiting {
  frame: Record<string, unknown>
  resolve(reply: Record<string, unknown>): void
  reject(error: MizanError): void
  sent: boolean
}

const OPEN = 1

/** One socket to one Mizan backend. */
export class MizanSocket {
  readonly url: string
  #status: SocketStatus = "idle"
  readonly #options: MizanSocketOptions
  #ws: WebSocketLike | undefined
  #nextId = 1
  #attempt = 0
  #opens = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false
  /** The next open follows reconnect(): nothing was missed, the old socket was live until then. */
  #deliberate = false
  readonly #waiting = new Map<number, Waiting>()
  readonly #statusListeners = new Set<(status: SocketStatus) => void>()
  readonly #pushListeners = new Set<(push: SocketPush) => void>()
  readonly #openListeners = new Set<(reconnected: boolean, missed: boolean) => void>()

  constructor(options: MizanSocketOptions = {}) {
    this.#options = options
    this.url = options.url ?? defaultSocketUrl()
  }

  get status(): SocketStatus {
    return this.#status
  }

  /** Connects unless connected or connecting already; a no-op after close(). */
  open(): void {
    if (this.#closed || this.#ws || this.#timer) return
    this.#connect()
  }

  /**
   * Drops the connection and opens a new one at once, re-subscribing and re-watching. The handshake carries
   * the Django session, so call it after a login or logout for the socket to act as the new user.
   */
  reconnect(): void {
    if (this.#closed || this.#status === "idle") return
    clearTimeout(this.#timer)
    this.#timer = undefined
    const ws = this.#ws
    this.#ws = undefined
    ws?.close(1000)
    this.#failWaiting((waiting) => waiting.sent, "the socket reconnected before the server answered")
    this.#deliberate = true
    this.#connect()
  }

  /** Closes for good: no reconnect, every unanswered request rejects with NETWORK_ERROR. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    const ws = this.#ws
    this.#ws = undefined
    ws?.close(1000)
    this.#failWaiting(() => true, "the socket was closed")
    this.#setStatus("disconnected")
  }

  /**
   * Sends `frame` with a fresh id and resolves with the server's reply to it (`{"error"}` replies resolve too:
   * the caller reads them). Opens the socket if needed; while it connects the frame waits, until `signal`.
   */
  request(frame: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new MizanError("NETWORK_ERROR", `The socket to ${this.url} is closed.`))
      const waiting: Waiting = { frame: { id, ...frame }, resolve, reject, sent: false }
      this.#waiting.set(id, waiting)
      signal?.addEventListener("abort", () => {
        if (this.#waiting.delete(id)) reject(abortError(String(frame.action), signal.reason))
      }, { once: true })
      if (signal?.aborted) return
      this.open()
      if (this.#ws?.readyState === OPEN) this.#transmit(waiting)
    })
  }

  onStatus(listener: (status: SocketStatus) => void): () => void {
    this.#statusListeners.add(listener)
    return () => this.#statusListeners.delete(listener)
  }

  onPush(listener: (push: SocketPush) => void): () => void {
    this.#pushListeners.add(listener)
    return () => this.#pushListeners.delete(listener)
  }

  /**
   * Called on every open, before waiting frames go out; `reconnected` is false the first time, `missed` is
   * true when pushes may have been lost while away (false after a deliberate `reconnect()`).
   */
  onOpen(listener: (reconnected: boolean, missed: boolean) => void): () => void {
    this.#openListeners.add(listener)
    return () => this.#openListeners.delete(listener)
  }

  #connect(): void {
    this.#timer = undefined
    this.#setStatus("connecting")
    let ws: WebSocketLike
    try {
      ws = (this.#options.createWebSocket ?? browserWebSocket)(this.url)
    } catch (error) {
      console.error(`mizan: cannot open the socket ${this.url}:`, error)
      return this.#scheduleReconnect()
    }
    this.#ws = ws
    ws.addEventListener("open", () => {
      if (this.#ws !== ws) return
      const reconnected = this.#opens++ > 0
      const missed = reconnected && !this.#deliberate
      this.#deliberate = false
      this.#setStatus("connected")
      for (const listener of [...this.#openListeners]) listener(reconnected, missed)
      for (const waiting of this.#waiting.values()) if (!waiting.sent) this.#transmit(waiting)
    })
    ws.addEventListener("message", (event: { data: unknown }) => {
      if (this.#ws !== ws) return
      // The backoff starts over once the server answers, not on open: a server that accepts and then drops
      // every socket (a proxy, a failing consumer) must not be hammered.
      this.#attempt = 0
      this.#receive(event.data)
    })
    // A failed connect is an error then a close; the close handles it (and Node's ws throws unheard errors).
    ws.addEventListener("error", () => undefined)
    ws.addEventListener("close", () => {
      if (this.#ws !== ws) return
      this.#ws = undefined
      // A sent request may or may not have run: its caller decides (a query retries, a subscription redoes).
      this.#failWaiting((waiting) => waiting.sent, "the socket closed before the server answered")
      if (!this.#closed) this.#scheduleReconnect()
    })
  }

  #scheduleReconnect(): void {
    this.#setStatus("disconnected")
    const min = this.#options.reconnectMinMs ?? 500
    const max = this.#options.reconnectMaxMs ?? 15_000
    const ceiling = Math.min(max, min * 2 ** this.#attempt++)
    // Jitter: after a server restart, every tab must not come back in the same millisecond.
    this.#timer = setTimeout(() => this.#connect(), ceiling / 2 + Math.random() * (ceiling / 2))
  }

  #transmit(waiting: Waiting): void {
    waiting.sent = true
    this.#ws!.send(JSON.stringify(waiting.frame))
  }

  #receive(data: unknown): void {
    let frame: unknown
    try {
      frame = JSON.parse(typeof data === "string" ? data : String(data))
    } catch {
      console.error("mizan: the socket sent a frame that is not JSON:", data)
      return
    }
    if (!isObject(frame)) return
    if (typeof frame.id === "number") {
      const waiting = this.#waiting.get(frame.id)
      if (waiting) {
        this.#waiting.delete(frame.id)
        waiting.resolve(frame)
      }
      return
    }
    if ("id" in frame && isObject(frame.error)) {
      // `"id": null`: a frame the server could not read. Every frame this client sends is well formed.
      console.error("mizan: the server could not read a frame:", frame.error)
      return
    }
    for (const listener of [...this.#pushListeners]) listener(frame)
  }

  #failWaiting(which: (waiting: Waiting) => boolean, why: string): void {
    for (const [id, waiting] of this.#waiting) {
      if (!which(waiting)) continue
      this.#waiting.delete(id)
      waiting.reject(new MizanError("NETWORK_ERROR", `${String(waiting.frame.action)} over ${this.url}: ${why}.`))
    }
  }

  #setStatus(status: SocketStatus): void {
    if (this.#status === status) return
    this.#status = status
    for (const listener of [...this.#statusListeners]) listener(status)
  }
}

/**
 * `ws(s)://<host>/ws/mizan/` of the server at `baseUrl` (the HTTP endpoint's, as Django serves both), or of
 * the page this runs in when `baseUrl` is relative.
 */
export function defaultSocketUrl(baseUrl = "/"): string {
  const here = (globalThis as { location?: { href: string } }).location
  let url: URL
  try {
    url = new URL("/ws/mizan/", new URL(baseUrl, here?.href))
  } catch {
    throw new MizanError(
      "BAD_REQUEST",
      `Cannot derive the socket URL from baseUrl ${JSON.stringify(baseUrl)} without a page location: pass url (e.g. ws://127.0.0.1:8000/ws/mizan/).`,
    )
  }
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:"
  return url.toString()
}

function browserWebSocket(url: string): WebSocketLike {
  const Socket = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket
  if (!Socket) throw new Error("this runtime has no WebSocket: pass createWebSocket (e.g. from the ws package)")
  return new Socket(url)
}

/** The error of a call whose signal fired: TIMEOUT for `AbortSignal.timeout`, else ABORTED. */
export function abortError(what: string, reason: unknown): MizanError {
  const timedOut = reason instanceof DOMException && reason.name === "TimeoutError"
  return timedOut
    ? new MizanError("TIMEOUT", `${what} took longer than its timeoutMs`, { cause: reason })
    : new MizanError("ABORTED", `${what} was aborted`, { cause: reason })
}

/** `signal` and a `timeoutMs` timeout as one signal (AbortSignal.any is missing before Safari 17.4). */
export function callSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined
  if (!signal || !timeout) return signal ?? timeout
  const controller = new AbortController()
  for (const each of [signal, timeout]) {
    if (each.aborted) controller.abort(each.reason)
    else each.addEventListener("abort", () => controller.abort(each.reason), { once: true })
  }
  return controller.signal
}
