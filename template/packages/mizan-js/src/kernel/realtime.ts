/**
 * `MizanRealtime`: the socket of one MizanClient with what rides on it: live invalidation of the QueryClients
 * it serves, `websocket=True` calls, and channel subscriptions. Nothing connects until something needs the
 * socket (a watched query, a socket call, a subscription).
 */

import type { QueryClient } from "@tanstack/query-core"
import { ChannelSubscription, type ChannelHandlers } from "./channelClient.js"
import { LiveInvalidation, type LiveInvalidationOptions } from "./liveInvalidation.js"
import type { MizanClient } from "./mizanClient.js"
import { defaultSocketUrl, MizanSocket, type MizanSocketOptions, type SocketStatus } from "./socket.js"
import { SocketCalls } from "./socketCalls.js"

export interface MizanRealtimeOptions extends MizanSocketOptions, LiveInvalidationOptions {
  /** Watch the keys of observed queries so other clients' writes refetch them; default true. */
  live?: boolean
}

export class MizanRealtime {
  readonly socket: MizanSocket
  readonly live: LiveInvalidation | undefined
  readonly #client: MizanClient
  readonly #calls: SocketCalls

  constructor(client: MizanClient, options: MizanRealtimeOptions = {}) {
    this.#client = client
    this.socket = new MizanSocket({ ...options, url: options.url ?? defaultSocketUrl(client.baseUrl) })
    this.live = options.live === false ? undefined : new LiveInvalidation(this.socket, options)
    this.#calls = new SocketCalls(this.socket)
    this.attach()
  }

  /** Routes the client's `websocket=True` calls through this socket (the constructor does it; close() undoes it). */
  attach(): void {
    this.#client.setTransport(this.#calls)
  }

  get status(): SocketStatus {
    return this.socket.status
  }

  /** Live-invalidate `queryClient` (its observed Mizan queries are watched); returns the undo. */
  serve(queryClient: QueryClient): () => void {
    return this.live?.serve(queryClient) ?? (() => undefined)
  }

  /** Subscribes to the channel `channel` with `params`; `close()` the result to unsubscribe. */
  subscribe<Params extends object, In extends object, Out>(
    channel: string,
    params: Params,
    handlers: ChannelHandlers<Out> = {},
  ): ChannelSubscription<Params, In, Out> {
    return new ChannelSubscription<Params, In, Out>(this.socket, channel, params, handlers)
  }

  /** Reconnects now (after a login or logout: the socket acts as the user of its handshake). */
  reconnect(): void {
    this.socket.reconnect()
  }

  /** Closes the socket (its subscriptions stay disconnected); calls go back to HTTP. */
  close(): void {
    this.live?.close()
    this.#client.setTransport(undefined)
    this.socket.close()
  }
}
