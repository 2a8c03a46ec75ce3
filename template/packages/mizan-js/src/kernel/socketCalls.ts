/**
 * Calls over the socket: a `websocket=True` function's call is an `rpc` frame with the same envelope, errors
 * and invalidation keys as over HTTP (PROTOCOL §6). A call made while the socket connects waits for it, up to
 * the call's timeout.
 */

import type { QueryClient } from "@tanstack/query-core"
import { readEnvelope } from "./envelope.js"
import { applyInvalidation } from "./invalidate.js"
import { readInvalidationKeys } from "./invalidationKey.js"
import type { CallOptions } from "./mizanClient.js"
import type { MizanSocket } from "./socket.js"

/** Another way for a MizanClient to carry some calls (see `MizanClient.setTransport`). */
export interface CallTransport {
  carries(fn: string): boolean
  call<R>(fn: string, args: object, options: CallOptions, queryClients: Iterable<QueryClient>): Promise<R>
}

const socketFunctions = new Set<string>()

/** Marks functions declared `websocket=True` (the generated client does it): their calls go over the socket. */
export function callOverSocket(names: Iterable<string>): void {
  for (const name of names) socketFunctions.add(name)
}

/** Is `fn` marked for the socket? */
export function isSocketFunction(fn: string): boolean {
  return socketFunctions.has(fn)
}

/** The socket as a call transport for the functions `callOverSocket` marked. */
export class SocketCalls implements CallTransport {
  readonly #socket: MizanSocket

  constructor(socket: MizanSocket) {
    this.#socket = socket
  }

  carries(fn: string): boolean {
    return isSocketFunction(fn)
  }

  async call<R>(fn: string, args: object, options: CallOptions, queryClients: Iterable<QueryClient>): Promise<R> {
    const reply = await this.#socket.request({ action: "rpc", fn, args }, options.signal)
    const outcome = readEnvelope(reply, 0, fn)
    if (!outcome.ok) throw outcome.error
    const keys = readInvalidationKeys(reply, null)
    if (keys.length > 0) {
      const targets = new Set(queryClients)
      if (options.queryClient) targets.add(options.queryClient)
      const skip = new Set(options.queryHash === undefined ? [] : [options.queryHash])
      await Promise.all([...targets].map((queryClient) => applyInvalidation(queryClient, keys, skip)))
    }
    return outcome.result as R
  }
}
