/**
 * A subscription to one `ReactChannel` (PROTOCOL §6): `subscribe` on the socket, the group's messages as they
 * come, `send` of the client's typed messages, and a new `subscribe` after every reconnect.
 */

import { isObject, readEnvelope } from "./envelope.js"
import { MizanError } from "./mizanError.js"
import { callSignal, type MizanSocket } from "./socket.js"

/** `connecting` until the server accepted the subscription; `disconnected` while the socket is away or refused. */
export type ChannelStatus = "connecting" | "connected" | "disconnected"

export interface ChannelHandlers<Out> {
  /** A message of the group (a `DjangoMessage`, typed by the generated hook). */
  onMessage?(message: Out): void
  onStatus?(status: ChannelStatus): void
  /** The server refused the subscription (NOT_FOUND, VALIDATION_ERROR, UNAUTHORIZED, FORBIDDEN). */
  onError?(error: MizanError): void
}

export interface SendOptions {
  signal?: AbortSignal
  /** How long a send may wait for the subscription to open and the server to answer; default 30000. */
  timeoutMs?: number
}

/** One open subscription; `close()` unsubscribes. */
export class ChannelSubscription<Params extends object, In extends object, Out> {
  readonly channel: string
  readonly params: Params
  #status: ChannelStatus = "connecting"
  #error: MizanError | undefined
  #sub: number | undefined
  #closed = false
  readonly #socket: MizanSocket
  readonly #handlers: ChannelHandlers<Out>
  readonly #ready = new Set<() => void>()
  readonly #stop: (() => void)[]

  constructor(socket: MizanSocket, channel: string, params: Params, handlers: ChannelHandlers<Out> = {}) {
    this.#socket = socket
    this.channel = channel
    this.params = params
    this.#handlers = handlers
    this.#stop = [
      socket.onPush((push) => {
        if (this.#sub !== undefined && push.sub === this.#sub && "message" in push) this.#handlers.onMessage?.(push.message as Out)
      }),
      socket.onStatus((status) => {
        if (status !== "connected") {
          this.#sub = undefined
          if (this.#status === "connected") this.#setStatus("disconnected")
        }
      }),
      socket.onOpen((reconnected) => {
        if (reconnected) void this.#subscribe()
      }),
    ]
    void this.#subscribe()
  }

  get status(): ChannelStatus {
    return this.#status
  }

  /** Why the server refused the subscription, if it did. */
  get error(): MizanError | undefined {
    return this.#error
  }

  /** Sends a `ReactMessage`; waits for the subscription to open, then for the server's `ok` (or its error). */
  async send(message: In, options: SendOptions = {}): Promise<void> {
    const signal = callSignal(options.signal, options.timeoutMs ?? 30_000)
    await this.#whenOpen(signal)
    const reply = await this.#socket.request({ action: "send", sub: this.#sub, message }, signal)
    const outcome = readEnvelope(isObject(reply.error) ? reply : { result: null }, 0, `send on ${this.channel}`)
    if (!outcome.ok) throw outcome.error
  }

  /** Unsubscribes (announcing `left` to the group) and stops listening. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    for (const stop of this.#stop) stop()
    if (this.#sub !== undefined && this.#socket.status === "connected") {
      this.#socket.request({ action: "unsubscribe", sub: this.#sub }).catch(() => undefined)
    }
    this.#sub = undefined
    this.#setStatus("disconnected")
  }

  async #subscribe(): Promise<void> {
    if (this.#closed) return
    this.#setStatus("connecting")
    let reply: Record<string, unknown>
    try {
      reply = await this.#socket.request({ action: "subscribe", channel: this.channel, params: this.params })
    } catch {
      return // the socket dropped; its reconnect subscribes again
    }
    if (this.#closed) {
      if (reply.subscribed === true) this.#socket.request({ action: "unsubscribe", sub: reply.id }).catch(() => undefined)
      return
    }
    if (reply.subscribed === true && typeof reply.id === "number") {
      this.#sub = reply.id // the sub of a subscription is the id of its subscribe frame
      this.#error = undefined
      this.#setStatus("connected")
      for (const resolve of [...this.#ready]) resolve()
      return
    }
    const outcome = readEnvelope(reply, 0, `subscribe to ${this.channel}`)
    this.#error = outcome.ok ? new MizanError("BAD_RESPONSE", `Unexpected answer to subscribe: ${JSON.stringify(reply)}`) : outcome.error
    this.#setStatus("disconnected")
    this.#handlers.onError?.(this.#error)
  }

  #whenOpen(signal: AbortSignal | undefined): Promise<void> {
    if (this.#status === "connected") return Promise.resolve()
    if (this.#closed) return Promise.reject(new MizanError("NOT_FOUND", `The subscription to ${this.channel} is closed.`))
    if (this.#error) return Promise.reject(this.#error)
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.#ready.delete(done)
        resolve()
      }
      this.#ready.add(done)
      signal?.addEventListener("abort", () => {
        this.#ready.delete(done)
        const timedOut = signal.reason instanceof DOMException && signal.reason.name === "TimeoutError"
        reject(new MizanError(timedOut ? "TIMEOUT" : "ABORTED", `send on ${this.channel}: the subscription did not open in time`, { cause: signal.reason }))
      }, { once: true })
    })
  }

  #setStatus(status: ChannelStatus): void {
    if (this.#status === status) return
    this.#status = status
    this.#handlers.onStatus?.(status)
  }
}
